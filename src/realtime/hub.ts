/**
 * @module The realtime hub: upgrades `/realtime/v1/websocket` requests, owns the connections and
 * the change feed they subscribe to, and the metrics. One per server.
 */
import { ChangeFeed, type Database } from "../../db/mod.ts";
import { JwtError, type JwtVerifier } from "../auth/mod.ts";
import { Connection } from "./connection.ts";
import { defaultSendBufferBytes } from "./limits.ts";
import { RealtimeMetrics } from "./metrics.ts";
import { parseVsn } from "./protocol.ts";

/** What connections need from the hub. */
export interface HubContext {
  db: Database;
  /** The change feed, opened at the first join (opening it bootstraps the catalog). */
  feed(): Promise<ChangeFeed>;
  verifier: JwtVerifier;
  metrics: RealtimeMetrics;
  sendBufferBytes: number;
  connections: Set<Connection>;
  nextBindingId(): number;
}

/** Options of {@link RealtimeHub.open}. */
export interface RealtimeHubOptions {
  db: Database;
  verifier: JwtVerifier;
  /** Commits kept for resume by LSN. */
  retainedCommits?: number;
  /** Unsent bytes per client before it is cut off. */
  sendBufferBytes?: number;
}

/** The websocket hub. */
export class RealtimeHub implements HubContext {
  readonly metrics = new RealtimeMetrics();
  readonly connections = new Set<Connection>();
  #ids = 0;
  #feed: Promise<ChangeFeed> | null = null;
  readonly #retainedCommits: number | undefined;

  private constructor(
    readonly db: Database,
    readonly verifier: JwtVerifier,
    readonly sendBufferBytes: number,
    retainedCommits: number | undefined,
  ) {
    this.#retainedCommits = retainedCommits;
  }

  /** Makes the hub for `db`; its change feed opens at the first join. */
  static open(opts: RealtimeHubOptions): Promise<RealtimeHub> {
    return Promise.resolve(
      new RealtimeHub(
        opts.db,
        opts.verifier,
        opts.sendBufferBytes ?? defaultSendBufferBytes,
        opts.retainedCommits,
      ),
    );
  }

  feed(): Promise<ChangeFeed> {
    this.#feed ??= ChangeFeed.open(this.db, { retainedCommits: this.#retainedCommits });
    return this.#feed;
  }

  nextBindingId(): number {
    return ++this.#ids;
  }

  /**
   * Answers a websocket request: the `apikey` query parameter (a BKG JWT, optional) is checked
   * first (401 if bad), `vsn` picks the serializer (400 if unknown).
   */
  async upgrade(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const vsn = parseVsn(url.searchParams.get("vsn"));
    if (vsn === null) return jsonError(400, `unsupported vsn "${url.searchParams.get("vsn")}"`);
    if ((req.headers.get("upgrade") ?? "").toLowerCase() !== "websocket") {
      return jsonError(426, "this endpoint needs a websocket upgrade");
    }
    const token = url.searchParams.get("apikey") ?? url.searchParams.get("access_token");
    if (token !== null && token !== "") {
      try {
        await this.verifier.verify(token);
      } catch (err) {
        if (err instanceof JwtError) return jsonError(401, `invalid token: ${err.message}`);
        throw err;
      }
    }
    const { socket, response } = Deno.upgradeWebSocket(req);
    const conn = new Connection(this, socket, vsn, token === "" ? null : token);
    this.connections.add(conn);
    this.metrics.connectedClients++;
    return response;
  }

  /** Closes every connection and stops following the database. */
  close(): void {
    for (const c of [...this.connections]) c.close(1001, "server shutting down");
    this.#feed?.then((f) => f.close(), () => {});
  }
}

function jsonError(status: number, message: string): Response {
  return Response.json({ error: { code: "realtime", message } }, { status });
}
