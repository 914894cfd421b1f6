/**
 * @module The realtime hub: upgrades `/realtime/v1/websocket` requests, owns the connections, the
 * change feed they subscribe to (opened by `start()` before the server's other parts write, so
 * its window covers every commit since start, and read back from its ring file after a restart),
 * the subscriber identities, and the metrics. One per server.
 */
import { ChangeFeed, type Database } from "../../db/mod.ts";
import { JwtError, type JwtVerifier } from "../auth/mod.ts";
import { AccessRegistry } from "./access.ts";
import { Connection } from "./connection.ts";
import { defaultSendBufferBytes } from "./limits.ts";
import { RealtimeMetrics } from "./metrics.ts";
import { parseVsn } from "./protocol.ts";

/** What connections need from the hub. */
export interface HubContext {
  db: Database;
  feed: ChangeFeed;
  access: AccessRegistry;
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
  /**
   * Keep the resume window in `<db dir>/changes.ring` across restarts (default true); false
   * keeps it in memory only.
   */
  persistRetention?: boolean;
  /** fdatasync the ring file (default true; the server passes its `--fsync` choice). */
  fsync?: boolean;
  /** Where the feed reports that it could not keep the window of the previous run. */
  log?: (message: string) => void;
}

/** The websocket hub. */
export class RealtimeHub implements HubContext {
  readonly metrics = new RealtimeMetrics();
  readonly connections = new Set<Connection>();
  #ids = 0;
  #feed: ChangeFeed | null = null;
  #access: AccessRegistry | null = null;
  #starting: Promise<void> | null = null;

  private constructor(
    readonly db: Database,
    readonly verifier: JwtVerifier,
    readonly sendBufferBytes: number,
    readonly opts: RealtimeHubOptions,
  ) {}

  /**
   * Makes the hub for `db`; {@link RealtimeHub.start} opens its change feed. The server starts
   * it once its listeners are up, so a start that fails early (a port taken) has written nothing.
   */
  static open(opts: RealtimeHubOptions): Promise<RealtimeHub> {
    return Promise.resolve(
      new RealtimeHub(opts.db, opts.verifier, opts.sendBufferBytes ?? defaultSendBufferBytes, opts),
    );
  }

  /** Opens the change feed (bootstrapping the catalog of a new database, reading the ring file). */
  start(): Promise<void> {
    this.#starting ??= (async () => {
      const feed = await ChangeFeed.open(this.db, {
        retainedCommits: this.opts.retainedCommits,
        persist: this.opts.persistRetention !== false,
        fsync: this.opts.fsync,
        log: this.opts.log,
      });
      this.#access = new AccessRegistry(this.db, {
        get version() {
          return feed.catalogVersion;
        },
      });
      this.#feed = feed;
    })();
    return this.#starting;
  }

  /** The change feed; connections exist only once the hub started. */
  get feed(): ChangeFeed {
    if (this.#feed === null) throw new Error("bug: the realtime hub is used before start()");
    return this.#feed;
  }

  /** Subscriber identities and their sessions. */
  get access(): AccessRegistry {
    if (this.#access === null) throw new Error("bug: the realtime hub is used before start()");
    return this.#access;
  }

  /** The metrics in Prometheus text (GET /metrics). */
  renderMetrics(): string {
    this.metrics.identities = this.#access?.size ?? 0;
    return this.metrics.render();
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
    if (this.#feed === null) return jsonError(503, "realtime is starting");
    const { socket, response } = Deno.upgradeWebSocket(req);
    const conn = new Connection(this, socket, vsn, token === "" ? null : token);
    this.connections.add(conn);
    this.metrics.connectedClients++;
    return response;
  }

  /** Closes every connection, stops following the database and syncs the ring file. */
  async close(): Promise<void> {
    for (const c of [...this.connections]) c.close(1001, "server shutting down");
    await this.#starting?.catch(() => {});
    await this.#feed?.close();
  }
}

function jsonError(status: number, message: string): Response {
  return Response.json({ error: { code: "realtime", message } }, { status });
}
