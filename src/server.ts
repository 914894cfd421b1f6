/**
 * @module `bkg serve`: takes the data directory, starts every listener, and shuts them down in
 * reverse order on SIGINT or SIGTERM (in-flight requests finish first).
 */
import { JwtVerifier, KeyFileError, KeyRing, loadKeyDir, parseAudience } from "./auth/mod.ts";
import { type Config, ConfigError, settingName } from "./config.ts";
import { loadSecret, lockDataDir, prepareDataDir } from "./datadir.ts";
import { createApp } from "./http/mod.ts";
import { RealtimeHub } from "./realtime/mod.ts";
import { type Backend, createScramVerifier, PgwireListener } from "./pgwire/mod.ts";
import { log, setLogLevel } from "./telemetry/mod.ts";
import { version } from "./version.ts";
import { CaveError, parseSize, SandboxManager } from "../kernel/mod.ts";
import { Database, DbError } from "../db/mod.ts";

/** A listener could not start (port taken, …); the CLI prints it and exits 1. */
export class StartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StartError";
  }
}

/** The pgwire listener's backend, or a factory that makes it from the opened database. */
export type PgBackendSource = Backend | ((db: Database) => Promise<Backend>);

/** Something started that must be stopped at shutdown. */
interface Part {
  name: string;
  stop(): Promise<void>;
}

/** The secrets a server runs with. */
export interface Secrets {
  adminPassword: string;
  jwtSecret: string;
}

/** A running server. */
export class Server {
  #parts: Part[] = [];
  #stopping: Promise<void> | undefined;
  #done = Promise.withResolvers<void>();
  #sandboxes: { manager?: SandboxManager; unavailable?: string } = { unavailable: "starting" };
  #db: Database | undefined;
  /** Set when start() fails, so the parts already started stop without a shutdown checkpoint. */
  #startFailed = false;
  #realtime: RealtimeHub | undefined;
  /** The one JWT verifier every door shares (HTTP, pgwire), built from the key ring. */
  readonly jwt: JwtVerifier;

  private constructor(
    readonly config: Config,
    readonly secrets: Secrets,
    readonly keyRing: KeyRing,
  ) {
    this.jwt = new JwtVerifier({
      secret: secrets.jwtSecret,
      ring: keyRing,
      audience: parseAudience(config.jwtAudience),
      issuer: config.jwtIssuer,
    });
  }

  /**
   * Starts a server; throws ConfigError (exit 2), DataDirLockedError or StartError (exit 1).
   *
   * @example
   * const server = await Server.start(resolveConfig({}, Deno.env.toObject()));
   * await server.finished;
   */
  static async start(config: Config, opts: { pgBackend?: PgBackendSource } = {}): Promise<Server> {
    setLogLevel(config.logLevel);
    await prepareDataDir(config.dataDir);
    const lock = await lockDataDir(config.dataDir);
    const secrets = {
      adminPassword: await loadSecret(config.dataDir, "admin-password", config.adminPassword),
      jwtSecret: await loadSecret(config.dataDir, "jwt-secret", config.jwtSecret),
    };
    const ring = await loadKeyRing(config, secrets.jwtSecret);
    const server = new Server(config, secrets, ring);
    server.#parts.push({
      name: "data directory lock",
      stop: () => Promise.resolve(lock.release()),
    });
    try {
      await server.#startDatabase();
      await server.#startSandboxes();
      await server.#startRealtime();
      // The change feed follows commits from here on, before anything else writes.
      await server.#realtime?.start();
      server.#startHttp();
      // Stopped before HTTP (parts stop in reverse): websockets close first.
      const hub = server.#realtime;
      if (hub) server.#parts.push({ name: "realtime", stop: () => Promise.resolve(hub.close()) });
      // The pgwire listener starts only with a real SQL engine behind it: `bkg serve` passes
      // src/sql_backend's SqlBackend.open; tests may pass their own Backend.
      if (opts.pgBackend !== undefined) {
        const source = opts.pgBackend;
        // `bkg serve` passes a factory (src/sql_backend) that needs the opened database.
        const backend = typeof source === "function" ? await source(server.#db!) : source;
        await server.#startPgwire(backend);
      }
    } catch (err) {
      server.#startFailed = true;
      await server.stop();
      throw err;
    }
    log("info", "bkg started", {
      version,
      data_dir: config.dataDir,
      http: `${config.listen}:${config.httpPort}`,
    });
    return server;
  }

  async #startPgwire(backend: Backend): Promise<void> {
    const { listen, pgPort, maxConnections } = this.config;
    // The superuser's SCRAM verifier comes from the admin password until the catalog stores it.
    const scramVerifier = await createScramVerifier(this.secrets.adminPassword);
    let tls: { cert: string; key: string } | undefined;
    if (this.config.tlsCert !== undefined && this.config.tlsKey !== undefined) {
      tls = {
        cert: await readSetting("tlsCert", this.config.tlsCert),
        key: await readSetting("tlsKey", this.config.tlsKey),
      };
    }
    let listener: PgwireListener;
    try {
      listener = await PgwireListener.listen({
        hostname: listen,
        port: pgPort,
        backend,
        jwt: this.jwt,
        maxConnections,
        roleOverrides: new Map([["postgres", { superuser: true, scramVerifier }]]),
        tls,
      });
    } catch (err) {
      throw new StartError(listenFailure("pgwire", listen, pgPort, err));
    }
    this.#parts.push({ name: "pgwire", stop: () => listener.close() });
    log("info", "pgwire listening", { pgwire: `${listen}:${pgPort}` });
  }

  /**
   * CAVE (issue 8): the sandbox manager, stopped and cleaned (every sandbox deleted) at
   * shutdown. With `--sandboxes auto` a host that cannot run sandboxes only logs why, and the
   * sandbox routes answer 503 with that reason; with `on` it is a start failure.
   */
  async #startSandboxes(): Promise<void> {
    const c = this.config;
    if (c.sandboxes === "off") {
      this.#sandboxes.unavailable = "turned off (--sandboxes off)";
      return;
    }
    try {
      const manager = await SandboxManager.open({
        dataDir: c.dataDir,
        runtimeRoot: c.sandboxRuntimeDir,
        uidBase: c.sandboxUidBase,
        uidCount: c.sandboxUidCount,
        imageDir: c.sandboxImage,
        maxSandboxes: c.maxSandboxes,
        maxima: {
          cpus: c.sandboxMaxCpus,
          memoryBytes: parseSize(c.sandboxMaxMemory),
          diskBytes: parseSize(c.sandboxMaxDisk),
          timeoutS: c.sandboxMaxTimeout,
          pids: c.sandboxMaxPids,
        },
      });
      this.#sandboxes.manager = manager;
      this.#sandboxes.unavailable = undefined;
      // Started before HTTP, so stopped after it (parts stop in reverse): no request can reach
      // a closing manager.
      this.#parts.push({ name: "sandboxes", stop: () => manager.close() });
      log("debug", "sandboxes ready", { cgroups: manager.cgroupVersion });
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      if (c.sandboxes === "on") throw new StartError(`cannot run sandboxes: ${reason}`);
      this.#sandboxes.unavailable = reason;
      log(err instanceof CaveError ? "warn" : "error", "sandboxes unavailable", { reason });
    }
  }

  /**
   * BKG-DB (issue 3): opened (recovered from checkpoint + WAL) once the lock is held; closed with
   * a checkpoint at shutdown, after the listeners that use it.
   */
  async #startDatabase(): Promise<void> {
    const c = this.config;
    const dir = `${c.dataDir}/db`;
    try {
      this.#db = await Database.open(dir, {
        checkpointIntervalMs: c.checkpointInterval * 1000,
        checkpointWalBytes: c.checkpointWalMb * 1024 * 1024,
        synchronousCommit: c.synchronousCommit === "on",
        checkpointOnClose: true,
        log: (level, msg, fields) => log(level, msg, fields),
      });
    } catch (err) {
      if (!(err instanceof DbError)) throw err;
      const detail = err.fields.detail ? ` (${err.fields.detail})` : "";
      throw new StartError(`cannot open the database in ${dir}: ${err.message}${detail}`);
    }
    const db = this.#db;
    // A start that failed says one thing: no shutdown checkpoint (recovery replays the WAL).
    this.#parts.push({
      name: "database",
      stop: () => db.close({ checkpoint: !this.#startFailed }),
    });
  }

  /** The database, once started. */
  get db(): Database | undefined {
    return this.#db;
  }

  /** Resolves once the server has stopped. */
  get finished(): Promise<void> {
    return this.#done.promise;
  }

  /** Stops every part in reverse order of start; calling it twice waits for the first call. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      for (const part of this.#parts.toReversed()) {
        try {
          await part.stop();
        } catch (err) {
          log("error", "error while stopping", { part: part.name, error: String(err) });
        }
      }
      this.#done.resolve();
    })();
    return this.#stopping;
  }

  /** Realtime (issue 7): the change feed and websocket hub on the opened database. */
  async #startRealtime(): Promise<void> {
    if (this.#db === undefined) return;
    const hub = await RealtimeHub.open({
      db: this.#db,
      verifier: this.jwt,
      retainedCommits: this.config.realtimeRetainedCommits,
      sendBufferBytes: this.config.realtimeSendBufferKb * 1024,
      log: (message) => log("warn", message, {}),
    });
    this.#realtime = hub;
  }

  #startHttp(): void {
    const { listen, httpPort } = this.config;
    const app = createApp({
      startedMs: performance.now(),
      auth: { verifier: this.jwt, adminPassword: this.secrets.adminPassword },
      sandboxes: this.#sandboxes,
      db: this.#db,
      realtime: this.#realtime,
      settings: this.config,
    });
    let http: Deno.HttpServer;
    try {
      http = Deno.serve({ hostname: listen, port: httpPort, onListen: () => {} }, app.fetch);
    } catch (err) {
      throw new StartError(listenFailure("HTTP", listen, httpPort, err));
    }
    this.#parts.push({ name: "http", stop: () => http.shutdown() });
  }
}

/** The JWT key ring: the secret plus the key directory's JWKs; a bad key file is exit 2. */
async function loadKeyRing(config: Config, secret: string): Promise<KeyRing> {
  const dir = config.jwtKeysDir ?? `${config.dataDir}/jwt-keys`;
  try {
    return new KeyRing(secret, await loadKeyDir(dir));
  } catch (err) {
    if (err instanceof KeyFileError) throw new ConfigError(settingName("jwtKeysDir"), err.message);
    throw err;
  }
}

/** Reads a file a setting names; a failure is a ConfigError naming that setting. */
async function readSetting(key: "tlsCert" | "tlsKey", path: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new ConfigError(settingName(key), `cannot read ${path}: ${msg}`);
  }
}

/** One line saying why a listener could not bind. */
export function listenFailure(what: string, host: string, port: number, err: unknown): string {
  if (err instanceof Deno.errors.AddrInUse) {
    return `cannot listen for ${what} on ${host}:${port}: the port is already in use`;
  }
  if (err instanceof Deno.errors.AddrNotAvailable) {
    return `cannot listen for ${what} on ${host}:${port}: the address is not available here`;
  }
  const msg = err instanceof Error ? err.message : String(err);
  return `cannot listen for ${what} on ${host}:${port}: ${msg}`;
}
