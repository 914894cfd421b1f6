/**
 * @module `bkg serve`: takes the data directory, starts every listener, and shuts them down in
 * reverse order on SIGINT or SIGTERM (in-flight requests finish first).
 */
import { JwtVerifier, KeyFileError, KeyRing, loadKeyDir, parseAudience } from "./auth/mod.ts";
import { type Config, ConfigError, settingName } from "./config.ts";
import { loadSecret, lockDataDir, prepareDataDir } from "./datadir.ts";
import { createApp } from "./http/mod.ts";
import { log, setLogLevel } from "./telemetry/mod.ts";
import { version } from "./version.ts";

/** A listener could not start (port taken, …); the CLI prints it and exits 1. */
export class StartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StartError";
  }
}

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

  private constructor(
    readonly config: Config,
    readonly secrets: Secrets,
    readonly keyRing: KeyRing,
  ) {}

  /**
   * Starts a server; throws ConfigError (exit 2), DataDirLockedError or StartError (exit 1).
   *
   * @example
   * const server = await Server.start(resolveConfig({}, Deno.env.toObject()));
   * await server.finished;
   */
  static async start(config: Config): Promise<Server> {
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
      server.#startHttp();
    } catch (err) {
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

  /** Stops the server on SIGINT and SIGTERM. */
  stopOnSignals(): void {
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      Deno.addSignalListener(signal, () => {
        log("info", "shutting down", { signal });
        this.stop();
      });
    }
  }

  #startHttp(): void {
    const { listen, httpPort } = this.config;
    const verifier = new JwtVerifier({
      secret: this.secrets.jwtSecret,
      ring: this.keyRing,
      audience: parseAudience(this.config.jwtAudience),
      issuer: this.config.jwtIssuer,
    });
    const app = createApp({
      startedMs: performance.now(),
      auth: { verifier, adminPassword: this.secrets.adminPassword },
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
