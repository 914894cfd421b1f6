/**
 * @module Test helpers: frontend message builders, a raw protocol client that reads backend
 * messages one by one, and a harness that runs a PgwireListener over the test backend.
 */
import { JwtVerifier } from "../../src/auth/mod.ts";
import { createScramVerifier, PgwireListener } from "../../src/pgwire/mod.ts";
import { TestBackend } from "./test_backend.ts";

const enc = new TextEncoder();

/** Builds one message: type byte (or none for startup packets), length, body. */
export function message(
  type: string | null,
  ...parts: (Uint8Array | number[] | string)[]
): Uint8Array {
  const chunks = parts.map((p) =>
    typeof p === "string" ? enc.encode(p + "\0") : Uint8Array.from(p)
  );
  const bodyLength = chunks.reduce((n, c) => n + c.length, 0);
  const head = type === null ? 0 : 1;
  const out = new Uint8Array(head + 4 + bodyLength);
  if (type !== null) out[0] = type.charCodeAt(0);
  new DataView(out.buffer).setInt32(head, bodyLength + 4);
  let off = head + 4;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

export const i16 = (v: number) => [(v >> 8) & 255, v & 255];
export const i32 = (v: number) => [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];

/** Frontend messages. */
export const fe = {
  startup: (params: Record<string, string>) =>
    message(null, i32(196608), ...Object.entries(params).flatMap(([k, v]) => [k, v]), [0]),
  sslRequest: () => message(null, i32(80877103)),
  gssRequest: () => message(null, i32(80877104)),
  cancel: (pid: number, key: number) => message(null, i32(80877102), i32(pid), i32(key)),
  password: (s: string) => message("p", s),
  query: (sql: string) => message("Q", sql),
  parse: (name: string, sql: string, oids: number[] = []) =>
    message("P", name, sql, i16(oids.length), ...oids.map(i32)),
  bind: (
    portal: string,
    stmt: string,
    values: (string | null)[] = [],
    resultFormats: number[] = [],
  ) =>
    message(
      "B",
      portal,
      stmt,
      i16(0),
      i16(values.length),
      ...values.flatMap((v) => v === null ? [i32(-1)] : [i32(enc.encode(v).length), enc.encode(v)]),
      i16(resultFormats.length),
      ...resultFormats.map(i16),
    ),
  describe: (kind: "S" | "P", name: string) => message("D", [kind.charCodeAt(0)], name),
  execute: (portal: string, maxRows = 0) => message("E", portal, i32(maxRows)),
  close: (kind: "S" | "P", name: string) => message("C", [kind.charCodeAt(0)], name),
  sync: () => message("S"),
  flush: () => message("H"),
  terminate: () => message("X"),
  copyData: (s: string) => message("d", enc.encode(s)),
  copyDone: () => message("c"),
  copyFail: (s: string) => message("f", s),
};

/** A backend message as read: type letter and body. */
export interface BackendMessage {
  type: string;
  body: Uint8Array;
}

/** Decodes an ErrorResponse/NoticeResponse body into its fields. */
export function errorFields(body: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < body.length && body[i] !== 0) {
    const code = String.fromCharCode(body[i]!);
    const end = body.indexOf(0, i + 1);
    out[code] = new TextDecoder().decode(body.subarray(i + 1, end));
    i = end + 1;
  }
  return out;
}

/** The text of every DataRow column (null for NULL). */
export function dataRow(body: Uint8Array): (string | null)[] {
  const v = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const n = v.getInt16(0);
  const out: (string | null)[] = [];
  let p = 2;
  for (let i = 0; i < n; i++) {
    const len = v.getInt32(p);
    p += 4;
    if (len < 0) out.push(null);
    else {
      out.push(new TextDecoder().decode(body.subarray(p, p + len)));
      p += len;
    }
  }
  return out;
}

/** A raw protocol client. */
export class WireClient {
  #buf = new Uint8Array(0);
  constructor(readonly conn: Deno.TcpConn) {}

  static async connect(port: number): Promise<WireClient> {
    return new WireClient(await Deno.connect({ hostname: "127.0.0.1", port }));
  }

  async send(...msgs: Uint8Array[]): Promise<void> {
    const all = new Uint8Array(msgs.reduce((n, m) => n + m.length, 0));
    let off = 0;
    for (const m of msgs) {
      all.set(m, off);
      off += m.length;
    }
    let view = all;
    while (view.length > 0) view = view.subarray(await this.conn.write(view));
  }

  async #fill(): Promise<boolean> {
    const chunk = new Uint8Array(65536);
    const n = await this.conn.read(chunk);
    if (n === null) return false;
    const next = new Uint8Array(this.#buf.length + n);
    next.set(this.#buf);
    next.set(chunk.subarray(0, n), this.#buf.length);
    this.#buf = next;
    return true;
  }

  /** One raw byte (the answer to SSLRequest). */
  async byte(): Promise<string> {
    while (this.#buf.length < 1) if (!await this.#fill()) throw new Error("connection closed");
    const b = this.#buf[0]!;
    this.#buf = this.#buf.subarray(1);
    return String.fromCharCode(b);
  }

  /** The next message, or null when the server closed the connection. */
  async read(): Promise<BackendMessage | null> {
    for (;;) {
      if (this.#buf.length >= 5) {
        const len = new DataView(this.#buf.buffer, this.#buf.byteOffset).getInt32(1);
        if (this.#buf.length >= len + 1) {
          const msg = {
            type: String.fromCharCode(this.#buf[0]!),
            body: this.#buf.slice(5, len + 1),
          };
          this.#buf = this.#buf.subarray(len + 1);
          return msg;
        }
      }
      let ok = false;
      try {
        ok = await this.#fill();
      } catch {
        ok = false;
      }
      if (!ok) return null;
    }
  }

  /** Reads messages up to and including the first of type `type`. */
  async until(type: string): Promise<BackendMessage[]> {
    const out: BackendMessage[] = [];
    for (;;) {
      const m = await this.read();
      if (m === null) {
        throw new Error(`closed before ${type}; got ${out.map((x) => x.type).join(" ")}`);
      }
      out.push(m);
      if (m.type === type) return out;
    }
  }

  /** Reads until the server closes; returns what came. */
  async drain(): Promise<BackendMessage[]> {
    const out: BackendMessage[] = [];
    for (;;) {
      const m = await this.read();
      if (m === null) return out;
      out.push(m);
    }
  }

  close(): void {
    try {
      this.conn.close();
    } catch {
      // Already closed.
    }
  }
}

export const jwtSecret = "a-test-secret-of-at-least-32-characters!";
export const adminPassword = "s3cret-admin";

/** A listener over the test backend, with the superuser postgres (SCRAM) and JWT roles. */
export interface TestServer {
  listener: PgwireListener;
  backend: TestBackend;
  port: number;
  jwt: JwtVerifier;
  /** A JWT for `role`. */
  token(
    role: "anon" | "authenticated" | "service_role",
    claims?: Record<string, unknown>,
  ): Promise<string>;
  close(): Promise<void>;
}

let cachedVerifier: Promise<string> | undefined;

export async function startTestServer(
  opts: {
    maxConnections?: number;
    authFailureDelayMs?: number;
    roles?: ReadonlyMap<string, { superuser: boolean; scramVerifier?: string }>;
    tls?: { cert: string; key: string };
  } = {},
): Promise<TestServer> {
  cachedVerifier ??= createScramVerifier(adminPassword);
  const verifier = await cachedVerifier;
  const jwt = new JwtVerifier({ secret: jwtSecret });
  const backend = new TestBackend(
    new Map([
      ["anon", { superuser: false }],
      ["authenticated", { superuser: false }],
      ["service_role", { superuser: false }],
      ["alice", { superuser: false }],
    ]),
  );
  const listener = await PgwireListener.listen({
    hostname: "127.0.0.1",
    port: 0,
    backend,
    jwt,
    maxConnections: opts.maxConnections ?? 20,
    authFailureDelayMs: opts.authFailureDelayMs ?? 10,
    roleOverrides: new Map([
      ["postgres", { superuser: true, scramVerifier: verifier }],
      ...(opts.roles ?? []),
    ]),
    tls: opts.tls,
  });
  return {
    listener,
    backend,
    port: listener.port,
    jwt,
    token: (role, claims = {}) => jwt.sign({ role, ...claims }, { expiresInS: 600 }),
    close: () => listener.close(),
  };
}

/** Opens a raw connection logged in as JWT role `anon`; returns it after the first ReadyForQuery. */
export async function loginAnon(
  server: TestServer,
): Promise<{ client: WireClient; startup: BackendMessage[] }> {
  const client = await WireClient.connect(server.port);
  await client.send(fe.startup({ user: "anon", database: "postgres" }));
  const auth = await client.read();
  if (auth?.type !== "R") throw new Error(`expected R, got ${auth?.type}`);
  await client.send(fe.password(await server.token("anon")));
  const startup = await client.until("Z");
  return { client, startup };
}
