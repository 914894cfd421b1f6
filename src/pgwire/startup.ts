/**
 * @module The first packet of a connection (it has no type byte): StartupMessage,
 * SSLRequest, GSSENCRequest or CancelRequest, decoded with strict bounds.
 */
import { DbError, SqlState } from "../../db/sqlstate.ts";
import type { MessageCursor } from "./codec.ts";

/** Request codes in the protocol-version field. */
export const StartupCode = {
  cancel: 80877102,
  ssl: 80877103,
  gssEnc: 80877104,
} as const;

/** The protocol this server speaks: 3.0. */
export const protocolMajor = 3;
export const protocolMinor = 0;

/** A decoded startup packet. */
export type StartupPacket =
  | { kind: "ssl" }
  | { kind: "gssenc" }
  | { kind: "cancel"; processId: number; secretKey: number }
  | {
    kind: "startup";
    minor: number;
    parameters: Map<string, string>;
    /** `_pq_.` options we do not know, reported back in NegotiateProtocolVersion. */
    unrecognized: string[];
  };

/** Decodes the body (after the length word) of a startup packet. */
export function decodeStartup(c: MessageCursor): StartupPacket {
  const code = c.int32() >>> 0;
  if (code === StartupCode.ssl || code === StartupCode.gssEnc) {
    c.finish();
    return { kind: code === StartupCode.ssl ? "ssl" : "gssenc" };
  }
  if (code === StartupCode.cancel) {
    const processId = c.int32();
    const secretKey = c.int32();
    c.finish();
    return { kind: "cancel", processId, secretKey };
  }
  const major = code >>> 16;
  const minor = code & 0xffff;
  if (major !== protocolMajor) {
    throw new DbError(
      SqlState.featureNotSupported,
      `unsupported frontend protocol ${major}.${minor}: server supports ${protocolMajor}.0 to ${protocolMajor}.${protocolMinor}`,
      { severity: "FATAL" },
    );
  }
  const parameters = new Map<string, string>();
  const unrecognized: string[] = [];
  for (;;) {
    const name = c.cstring();
    if (name === "") break;
    const value = c.cstring();
    if (name.startsWith("_pq_.")) unrecognized.push(name);
    else parameters.set(name, value);
  }
  c.finish();
  const options = parameters.get("options");
  if (options !== undefined) {
    // Settings in `options` apply first; explicit startup parameters win (postinit.c order).
    for (const [name, value] of parseOptions(options)) {
      if (!parameters.has(name)) parameters.set(name, value);
    }
  }
  if (!parameters.has("user") || parameters.get("user") === "") {
    throw new DbError(
      SqlState.invalidAuthorizationSpecification,
      "no PostgreSQL user name specified in startup packet",
      { severity: "FATAL" },
    );
  }
  if (
    parameters.has("replication") && !/^(false|off|no|0)$/i.test(parameters.get("replication")!)
  ) {
    throw new DbError(SqlState.featureNotSupported, "replication connections are not supported", {
      severity: "FATAL",
    });
  }
  return { kind: "startup", minor, parameters, unrecognized };
}

/** Normalises client_encoding; only UTF8 (and SQL_ASCII, a pass-through) are served. */
export function checkClientEncoding(value: string | undefined): void {
  if (value === undefined) return;
  const norm = value.toUpperCase().replace(/[-_]/g, "");
  if (norm === "UTF8" || norm === "UNICODE" || norm === "SQLASCII") return;
  throw new DbError(
    SqlState.invalidParameterValue,
    `invalid value for parameter "client_encoding": "${value}"`,
    { severity: "FATAL", detail: "This server supports only UTF8." },
  );
}

/**
 * The settings in a startup `options` string (PGOPTIONS): `-c name=value`, `-cname=value` and
 * `--name=value`, split on whitespace with backslash escaping a space, as PostgreSQL's
 * pg_split_opts. Dashes in names become underscores. Anything else is refused with 22023, as
 * PostgreSQL refuses an invalid command-line argument.
 *
 * @example
 * parseOptions("-c search_path=app -c statement_timeout=5s"); // [["search_path", "app"], …]
 */
export function parseOptions(options: string): [string, string][] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  for (let i = 0; i < options.length; i++) {
    const ch = options[i]!;
    if (ch === "\\" && i + 1 < options.length) {
      word += options[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  const out: [string, string][] = [];
  for (let i = 0; i < words.length; i++) {
    let setting: string;
    const w = words[i]!;
    if (w === "-c") setting = words[++i] ?? "";
    else if (w.startsWith("-c")) setting = w.slice(2);
    else if (w.startsWith("--")) setting = w.slice(2);
    else setting = "";
    const eq = setting.indexOf("=");
    if (eq <= 0) {
      throw new DbError(
        SqlState.invalidParameterValue,
        `invalid command-line argument for server process: ${w}`,
        { severity: "FATAL", hint: 'Use "-c name=value" in options.' },
      );
    }
    out.push([setting.slice(0, eq).replaceAll("-", "_"), setting.slice(eq + 1)]);
  }
  return out;
}
