/**
 * @module Every setting of bkg in one table and one zod schema, resolved flags > environment >
 * defaults. `docs/configuration.md` documents each entry; a test keeps the two in step.
 */
import { z } from "zod";

/** One setting: where it comes from and what it means. */
export interface SettingSpec {
  /** The key in {@link Config}. */
  key: keyof Config;
  /** The command-line flag without dashes, or undefined when the setting has no flag. */
  flag?: string;
  /** The environment variable, or undefined when the setting has none. */
  env?: string;
  /** One line for `--help` and docs/configuration.md. */
  doc: string;
}

const port = z.coerce.number().int("must be an integer").min(1, "must be between 1 and 65535")
  .max(65535, "must be between 1 and 65535");

const optionalText = z.string().min(1, "must not be empty").optional();

/** A size with binary units (`512M`, `64G`), kept as text and parsed where it is used. */
const sizeSetting = z.string().regex(/^\d+(\.\d+)?\s*[KMGT]?(i?B)?$/i, {
  message: "must be a size such as 512M or 64G",
});

/** The zod schema of every setting; defaults live here and nowhere else. */
export const configSchema = z.object({
  dataDir: z.string().min(1, "must not be empty").default("./data"),
  listen: z.string().min(1, "must not be empty").refine(isHostAddress, {
    message: "must be an IPv4 or IPv6 address or a host name",
  }).default("127.0.0.1"),
  httpPort: port.default(8080),
  pgPort: port.default(5433),
  adminPassword: optionalText,
  jwtSecret: z.string().min(32, "must be at least 32 characters").optional(),
  databaseUrl: z.string().refine((s) => /^postgres(ql)?:\/\//.test(s), {
    message: "must be a postgres:// or postgresql:// URL",
  }).optional(),
  otelSamplingRate: z.coerce.number().min(0, "must be between 0 and 1").max(
    1,
    "must be between 0 and 1",
  ).default(0.1),
  maxConnections: z.coerce.number().int("must be an integer").min(1, "must be at least 1").max(
    100_000,
    "must be at most 100000",
  ).default(300),
  jwtAudience: optionalText,
  jwtIssuer: optionalText,
  jwtKeysDir: optionalText,
  tlsCert: optionalText,
  tlsKey: optionalText,
  url: z.string().url("must be an http:// or https:// URL").refine(
    (s) => /^https?:\/\//.test(s),
    { message: "must be an http:// or https:// URL" },
  ).default("http://127.0.0.1:8080"),
  logLevel: z.enum(["debug", "info", "warn", "error"]).default("info"),
  // BKG-DB storage (issue 3).
  checkpointInterval: z.coerce.number().int("must be an integer").min(0, "must be 0 or more")
    .max(86_400, "must be at most 86400").default(300),
  checkpointWalMb: z.coerce.number().int("must be an integer").min(0, "must be 0 or more").max(
    1_048_576,
    "must be at most 1048576",
  ).default(256),
  synchronousCommit: z.enum(["on", "off"]).default("on"),
  // Realtime (issue 7).
  realtimeRetainedCommits: z.coerce.number().int("must be an integer").min(1, "must be at least 1")
    .max(10_000_000, "must be at most 10000000").default(10_000),
  realtimeSendBufferKb: z.coerce.number().int("must be an integer").min(1, "must be at least 1")
    .max(1_048_576, "must be at most 1048576").default(1024),
  // The HTTP doors /query, /schema, /policy and /auth (issue 6).
  queryMaxBodyKb: z.coerce.number().int("must be an integer").min(1, "must be at least 1")
    .max(1_048_576, "must be at most 1048576").default(1024),
  queryTimeoutMs: z.coerce.number().int("must be an integer").min(0, "must be 0 or more")
    .max(86_400_000, "must be at most 86400000").default(30_000),
  queryMaxRows: z.coerce.number().int("must be an integer").min(1, "must be at least 1")
    .max(10_000_000, "must be at most 10000000").default(10_000),
  authRateLimit: z.coerce.number().int("must be an integer").min(1, "must be at least 1")
    .max(1_000_000, "must be at most 1000000").default(30),
  authJwtExpiry: z.coerce.number().int("must be an integer").min(30, "must be at least 30")
    .max(604_800, "must be at most 604800").default(3600),
  // CAVE sandboxes (issue 8).
  sandboxes: z.enum(["auto", "on", "off"]).default("auto"),
  sandboxRuntimeDir: z.string().refine((s) => s.startsWith("/"), {
    message: "must be an absolute path",
  }).default("/run/bkg-cave"),
  sandboxImage: optionalText,
  maxSandboxes: z.coerce.number().int("must be an integer").min(1, "must be at least 1").max(
    10_000,
    "must be at most 10000",
  ).default(64),
  sandboxUidBase: z.coerce.number().int("must be an integer").min(1000, "must be at least 1000")
    .max(2 ** 31 - 2 ** 20, "must leave room below 2^31").default(200_000),
  sandboxUidCount: z.coerce.number().int("must be an integer").min(1, "must be at least 1").max(
    1_000_000,
    "must be at most 1000000",
  ).default(10_000),
  sandboxMaxCpus: z.coerce.number().positive("must be above 0").max(4096, "must be at most 4096")
    .default(64),
  sandboxMaxMemory: sizeSetting.default("64G"),
  sandboxMaxDisk: sizeSetting.default("64G"),
  sandboxMaxTimeout: z.coerce.number().positive("must be above 0").max(
    86_400,
    "must be at most 86400",
  ).default(3600),
  sandboxMaxPids: z.coerce.number().int("must be an integer").min(32, "must be at least 32")
    .max(4_194_304, "must be at most 4194304").default(32_768),
}).superRefine((c, ctx) => {
  if ((c.tlsCert === undefined) !== (c.tlsKey === undefined)) {
    ctx.addIssue({
      code: "custom",
      path: [c.tlsCert === undefined ? "tlsCert" : "tlsKey"],
      message: "--tls-cert and --tls-key must be given together",
    });
  }
});

/** The resolved settings. */
export type Config = z.infer<typeof configSchema>;

/** The settings table: the single list of flags and environment variables. */
export const settings: readonly SettingSpec[] = [
  {
    key: "dataDir",
    flag: "data-dir",
    env: "BKG_DATA_DIR",
    doc: "data directory (created at first start, locked while a server runs)",
  },
  { key: "listen", flag: "listen", env: "BKG_LISTEN", doc: "address the listeners bind" },
  { key: "httpPort", flag: "http-port", env: "BKG_HTTP_PORT", doc: "HTTP port (API, UIs)" },
  { key: "pgPort", flag: "pg-port", env: "BKG_PG_PORT", doc: "PostgreSQL wire protocol port" },
  {
    key: "adminPassword",
    env: "BKG_ADMIN_PASSWORD",
    doc: "password of the superuser postgres; replaces <data>/admin-password when set",
  },
  {
    key: "jwtSecret",
    env: "BKG_JWT_SECRET",
    doc: "HS256 JWT secret (its UTF-8 bytes); otherwise <data>/jwt-secret, generated",
  },
  {
    key: "databaseUrl",
    flag: "database-url",
    env: "DATABASE_URL",
    doc: "external PostgreSQL for the control plane (default: embedded BKG-DB)",
  },
  {
    key: "otelSamplingRate",
    env: "CAVE_OTEL_SAMPLING_RATE",
    doc: "trace sampling ratio, 0 to 1",
  },
  {
    key: "maxConnections",
    flag: "max-connections",
    env: "BKG_MAX_CONNECTIONS",
    doc: "most pgwire connections at once",
  },
  { key: "jwtAudience", env: "BKG_JWT_AUDIENCE", doc: "accepted JWT audiences, comma-separated" },
  { key: "jwtIssuer", env: "BKG_JWT_ISSUER", doc: "required JWT issuer" },
  {
    key: "jwtKeysDir",
    flag: "jwt-keys-dir",
    env: "BKG_JWT_KEYS_DIR",
    doc: "directory of ES256/EdDSA JWKs (*.json) for JWTs; default <data>/jwt-keys",
  },
  { key: "tlsCert", flag: "tls-cert", env: "BKG_TLS_CERT", doc: "TLS certificate file (PEM)" },
  { key: "tlsKey", flag: "tls-key", env: "BKG_TLS_KEY", doc: "TLS private key file (PEM)" },
  {
    key: "url",
    flag: "url",
    env: "BKG_URL",
    doc: "server a CLI command talks to",
  },
  {
    key: "logLevel",
    flag: "log-level",
    env: "BKG_LOG_LEVEL",
    doc: "least severe log line written: debug, info, warn or error",
  },
  {
    key: "realtimeRetainedCommits",
    flag: "realtime-retained-commits",
    env: "BKG_REALTIME_RETAINED_COMMITS",
    doc: "recent commits kept for realtime resume by LSN (resume_lsn); older is an error",
  },
  {
    key: "realtimeSendBufferKb",
    flag: "realtime-send-buffer-kb",
    env: "BKG_REALTIME_SEND_BUFFER_KB",
    doc: "unsent KiB per realtime client before it is disconnected as too slow",
  },
  {
    key: "checkpointInterval",
    flag: "checkpoint-interval",
    env: "BKG_CHECKPOINT_INTERVAL",
    doc: "seconds between automatic BKG-DB checkpoints (when there was WAL); 0 turns them off",
  },
  {
    key: "checkpointWalMb",
    flag: "checkpoint-wal-mb",
    env: "BKG_CHECKPOINT_WAL_MB",
    doc: "MiB of WAL after which BKG-DB checkpoints; 0 turns it off",
  },
  {
    key: "synchronousCommit",
    flag: "synchronous-commit",
    env: "BKG_SYNCHRONOUS_COMMIT",
    doc: "on: COMMIT returns after the WAL fsync; off: before it (a crash may lose the newest)",
  },
  {
    key: "queryMaxBodyKb",
    flag: "query-max-body-kb",
    env: "BKG_QUERY_MAX_BODY_KB",
    doc: "largest request body of /query, /policy and /auth, in KiB (413 above it)",
  },
  {
    key: "queryTimeoutMs",
    flag: "query-timeout-ms",
    env: "BKG_QUERY_TIMEOUT_MS",
    doc: "statement_timeout of HTTP /query requests in ms, enforced even after SET; 0: none",
  },
  {
    key: "queryMaxRows",
    flag: "query-max-rows",
    env: "BKG_QUERY_MAX_ROWS",
    doc: "most rows one /query statement may answer; more is error 54000 and a rollback",
  },
  {
    key: "authRateLimit",
    flag: "auth-rate-limit",
    env: "BKG_AUTH_RATE_LIMIT",
    doc: "requests a minute per client address to /auth/signup and /auth/token (429 above)",
  },
  {
    key: "authJwtExpiry",
    flag: "auth-jwt-expiry",
    env: "BKG_AUTH_JWT_EXPIRY",
    doc: "lifetime in seconds of the access tokens /auth/token issues",
  },
  {
    key: "sandboxes",
    flag: "sandboxes",
    env: "BKG_SANDBOXES",
    doc: "CAVE sandboxes: auto (on when the host can), on (start fails if not), off",
  },
  {
    key: "sandboxRuntimeDir",
    flag: "sandbox-runtime-dir",
    env: "BKG_SANDBOX_RUNTIME_DIR",
    doc: "root-owned 0755 directory for the sandbox runtime, mounts and uid locks",
  },
  {
    key: "sandboxImage",
    flag: "sandbox-image",
    env: "BKG_SANDBOX_IMAGE",
    doc: "directory used as every sandbox's read-only root (default: host /usr view)",
  },
  {
    key: "maxSandboxes",
    flag: "max-sandboxes",
    env: "BKG_MAX_SANDBOXES",
    doc: "most sandboxes at once",
  },
  { key: "sandboxUidBase", env: "BKG_SANDBOX_UID_BASE", doc: "first host uid/gid for sandboxes" },
  { key: "sandboxUidCount", env: "BKG_SANDBOX_UID_COUNT", doc: "how many uids sandboxes may use" },
  { key: "sandboxMaxCpus", env: "BKG_SANDBOX_MAX_CPUS", doc: "most CPUs one sandbox may ask for" },
  { key: "sandboxMaxMemory", env: "BKG_SANDBOX_MAX_MEMORY", doc: "most memory per sandbox" },
  { key: "sandboxMaxDisk", env: "BKG_SANDBOX_MAX_DISK", doc: "most disk per sandbox" },
  {
    key: "sandboxMaxTimeout",
    env: "BKG_SANDBOX_MAX_TIMEOUT",
    doc: "longest exec timeout per sandbox, in seconds",
  },
  { key: "sandboxMaxPids", env: "BKG_SANDBOX_MAX_PIDS", doc: "most pids per sandbox" },
];

/** A setting that cannot be used; the CLI prints it as one line and exits 2. */
export class ConfigError extends Error {
  constructor(readonly setting: string, reason: string) {
    super(`${setting}: ${reason}`);
    this.name = "ConfigError";
  }
}

/** Names a setting the way a user sets it: `--data-dir / BKG_DATA_DIR`. */
export function settingName(key: keyof Config): string {
  const spec = settings.find((s) => s.key === key);
  if (spec === undefined) return String(key);
  return [spec.flag && `--${spec.flag}`, spec.env].filter(Boolean).join(" / ");
}

/**
 * Resolves settings: `flags` (already parsed, keyed by flag name) over `env` over defaults.
 *
 * @example
 * const config = resolveConfig({ "http-port": "9000" }, Deno.env.toObject());
 */
export function resolveConfig(
  flags: Record<string, string | undefined>,
  env: Record<string, string | undefined>,
): Config {
  const raw: Record<string, string> = {};
  for (const spec of settings) {
    const fromFlag = spec.flag === undefined ? undefined : flags[spec.flag];
    const fromEnv = spec.env === undefined ? undefined : env[spec.env];
    const value = fromFlag ?? (fromEnv === "" ? undefined : fromEnv);
    if (value !== undefined) raw[spec.key] = value;
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = issue.path[0] as keyof Config;
    const shown = raw[key] === undefined || key === "adminPassword" || key === "jwtSecret"
      ? ""
      : ` (got ${JSON.stringify(raw[key])})`;
    throw new ConfigError(settingName(key), `${issue.message}${shown}`);
  }
  return parsed.data;
}

/** The flag names the settings table knows, for the argument parser. */
export function settingFlags(): string[] {
  return settings.flatMap((s) => (s.flag === undefined ? [] : [s.flag]));
}

function isHostAddress(s: string): boolean {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(s)) return s.split(".").every((p) => Number(p) <= 255);
  if (s.includes(":")) return /^[0-9a-fA-F:.]+$/.test(s);
  return /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/
    .test(s);
}
