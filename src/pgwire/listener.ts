/**
 * @module The pgwire listener: accepts TCP connections, runs one {@link Connection} each, enforces
 * max connections (one more gets 53300 after its startup packet, so CancelRequests still get
 * through), routes CancelRequests by process id and secret key, and stops by telling every
 * client 57P01 and waiting for their sessions to close.
 */
import { X509Certificate } from "node:crypto";
import { createServer, type Server as NodeServer, type Socket } from "node:net";
import { createSecureContext } from "node:tls";
import { DbError, SqlState } from "../../db/sqlstate.ts";
import type { JwtVerifier } from "../auth/mod.ts";
import type { Backend, RoleInfo } from "./backend.ts";
import { Connection, type ConnectionHost } from "./connection.ts";
import { pgwireLimits } from "./limits.ts";
import { NodeTransport, type Transport } from "./transport.ts";

/** How to run a listener. */
export interface PgwireOptions {
  hostname: string;
  /** 0 picks a free port (see {@link PgwireListener.port}). */
  port: number;
  backend: Backend;
  /** Verifies the JWTs that JWT roles log in with. */
  jwt: JwtVerifier;
  /** Most sessions at once (BKG_MAX_CONNECTIONS). */
  maxConnections: number;
  /** Roles defined outside the catalog, consulted first (the superuser `postgres` for now). */
  roleOverrides?: ReadonlyMap<string, RoleInfo>;
  /** Wait before a failed login is answered; default pgwireLimits.authFailureDelayMs. */
  authFailureDelayMs?: number;
  /** Time to finish startup and authentication; default pgwireLimits.startupTimeoutMs. */
  startupTimeoutMs?: number;
  /** PEM certificate and key: SSLRequest is then answered `S` and the socket upgraded. */
  tls?: { cert: string; key: string };
}

/** Counters for tests and metrics. */
export interface PgwireStats {
  /** Connections accepted since start. */
  accepted: number;
  /** Sessions running now. */
  sessions: number;
  /** Socket write calls since start. */
  writes: number;
}

/** A running pgwire listener. */
export class PgwireListener implements ConnectionHost {
  readonly backend: Backend;
  readonly jwt: JwtVerifier;
  readonly roleOverrides: ReadonlyMap<string, RoleInfo>;
  readonly mockSecret = crypto.getRandomValues(new Uint8Array(16));
  readonly authFailureDelayMs: number;
  readonly startupTimeoutMs: number;
  readonly stats: PgwireStats = { accepted: 0, sessions: 0, writes: 0 };
  #listener: Deno.TcpListener | NodeServer;
  #port: number;
  #max: number;
  #sockets = new Set<Connection>();
  #running = new Set<Promise<void>>();
  #byProcessId = new Map<number, { conn: Connection; secretKey: number }>();
  #nextProcessId = 1000 + Math.floor(Math.random() * 10_000);
  #accepting: Promise<void> = Promise.resolve();

  private constructor(
    listener: Deno.TcpListener | NodeServer,
    port: number,
    options: PgwireOptions,
  ) {
    this.#listener = listener;
    this.#port = port;
    this.backend = options.backend;
    this.jwt = options.jwt;
    this.#max = options.maxConnections;
    this.roleOverrides = options.roleOverrides ?? new Map();
    this.authFailureDelayMs = options.authFailureDelayMs ?? pgwireLimits.authFailureDelayMs;
    this.startupTimeoutMs = options.startupTimeoutMs ?? pgwireLimits.startupTimeoutMs;
  }

  /**
   * Binds and starts accepting; rejects with Deno's AddrInUse and friends when it cannot bind.
   * Without TLS, sockets are Deno.Conns (the fast path); with TLS they come from node:net so that
   * an SSLRequest can upgrade them with node:tls.
   *
   * @example
   * const pg = await PgwireListener.listen({ hostname: "127.0.0.1", port: 5433, backend, jwt, maxConnections: 300 });
   * await pg.close();
   */
  static async listen(options: PgwireOptions): Promise<PgwireListener> {
    if (options.tls === undefined) {
      const listener = Deno.listen({ hostname: options.hostname, port: options.port });
      const pg = new PgwireListener(listener, listener.addr.port, options);
      pg.#accepting = pg.#acceptDeno(listener);
      return pg;
    }
    const tls = {
      context: createSecureContext({ cert: options.tls.cert, key: options.tls.key }),
      certificate: new Uint8Array(new X509Certificate(options.tls.cert).raw),
    };
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port, options.hostname, () => resolve());
    });
    const address = server.address();
    const port = typeof address === "object" && address !== null ? address.port : options.port;
    const pg = new PgwireListener(server, port, options);
    server.on("connection", (socket: Socket) => {
      pg.stats.accepted++;
      pg.#serve(new NodeTransport(socket, tls), () => socket.destroy());
    });
    return pg;
  }

  /** The bound port. */
  get port(): number {
    return this.#port;
  }

  async #acceptDeno(listener: Deno.TcpListener): Promise<void> {
    for (;;) {
      let conn: Deno.TcpConn;
      try {
        conn = await listener.accept();
      } catch (err) {
        if (err instanceof Deno.errors.BadResource || err instanceof Deno.errors.Interrupted) {
          return;
        }
        // A transient accept failure (EMFILE, ECONNABORTED): keep serving the others.
        await new Promise((r) => setTimeout(r, 10));
        continue;
      }
      this.stats.accepted++;
      try {
        conn.setNoDelay(true);
      } catch {
        // The socket is already gone; the connection will see that.
      }
      this.#serve(conn, () => conn.close());
    }
  }

  #serve(transport: Transport, refuse: () => void): void {
    if (this.#sockets.size >= this.#max + pgwireLimits.socketsExtraMax) {
      refuse();
      return;
    }
    const connection = new Connection(transport, this);
    this.#sockets.add(connection);
    const done = connection.run().finally(() => {
      this.#sockets.delete(connection);
      this.#running.delete(done);
    });
    this.#running.add(done);
  }

  admit(): boolean {
    if (this.stats.sessions >= this.#max) return false;
    this.stats.sessions++;
    return true;
  }

  release(): void {
    this.stats.sessions--;
  }

  register(conn: Connection): { processId: number; secretKey: number } {
    const processId = this.#nextProcessId++;
    if (this.#nextProcessId > 0x7fff_fff0) this.#nextProcessId = 1000;
    const secretKey = crypto.getRandomValues(new Int32Array(1))[0]!;
    this.#byProcessId.set(processId, { conn, secretKey });
    return { processId, secretKey };
  }

  unregister(processId: number): void {
    this.#byProcessId.delete(processId);
  }

  cancel(processId: number, secretKey: number): void {
    const entry = this.#byProcessId.get(processId);
    // A wrong key is ignored silently, as PostgreSQL does, so keys cannot be probed.
    if (entry !== undefined && entry.secretKey === secretKey) entry.conn.cancel();
  }

  countWrite(): void {
    this.stats.writes++;
  }

  /** Stops accepting, ends every connection with 57P01, and waits for their sessions to close. */
  async close(): Promise<void> {
    const listener = this.#listener;
    if ("accept" in listener) {
      try {
        listener.close();
      } catch {
        // Already closed.
      }
    } else {
      listener.close();
    }
    await this.#accepting;
    const shutdown = new DbError(
      SqlState.adminShutdown,
      "terminating connection due to administrator command",
      { severity: "FATAL" },
    );
    await Promise.all([...this.#sockets].map((c) => c.terminate(shutdown)));
    await Promise.all([...this.#running]);
  }
}
