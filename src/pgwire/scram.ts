/**
 * @module SCRAM-SHA-256 for the server side (RFC 5802 and RFC 7677, as PostgreSQL implements it in
 * auth-scram.c): verifiers in PostgreSQL's `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`
 * format, and the two-step exchange. On TLS connections SCRAM-SHA-256-PLUS with
 * tls-server-end-point channel binding is offered too; without TLS a client asking for binding
 * (`p=`) is refused and `y` is accepted, as PostgreSQL does.
 */
import { Buffer } from "node:buffer";
import { createHash, createHmac, pbkdf2, randomBytes, timingSafeEqual } from "node:crypto";
import { DbError, SqlState } from "../../db/sqlstate.ts";

/** PostgreSQL's default scram_iterations. */
export const scramIterationsDefault = 4096;

/** A parsed verifier. */
export interface ScramVerifier {
  iterations: number;
  salt: Buffer;
  storedKey: Buffer;
  serverKey: Buffer;
}

const hmac = (key: Buffer, text: string | Buffer) =>
  createHmac("sha256", key).update(text).digest();
const sha256 = (data: Buffer) => createHash("sha256").update(data).digest();

/**
 * Creates a verifier for `password` (SASLprep-normalised as PostgreSQL does).
 *
 * @example
 * const verifier = await createScramVerifier("secret"); // "SCRAM-SHA-256$4096:…$…:…"
 */
export async function createScramVerifier(
  password: string,
  opts: { iterations?: number; salt?: Uint8Array } = {},
): Promise<string> {
  const iterations = opts.iterations ?? scramIterationsDefault;
  const salt = Buffer.from(opts.salt ?? randomBytes(16));
  const salted = await new Promise<Buffer>((resolve, reject) =>
    pbkdf2(saslPrep(password), salt, iterations, 32, "sha256", (err, key) => {
      if (err) reject(err);
      else resolve(key);
    })
  );
  const storedKey = sha256(hmac(salted, "Client Key"));
  const serverKey = hmac(salted, "Server Key");
  return `SCRAM-SHA-256$${iterations}:${salt.toString("base64")}$${storedKey.toString("base64")}:${
    serverKey.toString("base64")
  }`;
}

/** Parses a verifier; undefined when `text` is not one. */
export function parseScramVerifier(text: string): ScramVerifier | undefined {
  const m = /^SCRAM-SHA-256\$(\d+):([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+)$/.exec(
    text,
  );
  if (m === null) return undefined;
  const iterations = Number(m[1]);
  const salt = Buffer.from(m[2]!, "base64");
  const storedKey = Buffer.from(m[3]!, "base64");
  const serverKey = Buffer.from(m[4]!, "base64");
  if (iterations < 1 || storedKey.length !== 32 || serverKey.length !== 32) return undefined;
  return { iterations, salt, storedKey, serverKey };
}

/**
 * A verifier for a user that does not exist or has no password: derived from the user name and
 * a per-process secret, so the exchange looks the same as for a real user and fails only at the
 * proof (PostgreSQL's mock authentication; it does not reveal which users exist).
 */
export function mockScramVerifier(user: string, nonce: Uint8Array): ScramVerifier {
  const seed = sha256(Buffer.concat([Buffer.from(nonce), Buffer.from(user)]));
  return {
    iterations: scramIterationsDefault,
    salt: seed.subarray(0, 16),
    storedKey: randomBytes(32),
    serverKey: randomBytes(32),
  };
}

function malformed(detail: string): DbError {
  return new DbError(SqlState.protocolViolation, "malformed SCRAM message", {
    severity: "FATAL",
    detail,
  });
}

/** One SCRAM-SHA-256 exchange for one login. */
export class ScramExchange {
  #verifier: ScramVerifier;
  #clientFirstBare = "";
  #serverFirst = "";
  #gs2Header = "";
  #nonce = "";
  #serverNonce: string;
  #channelBinding: Buffer | undefined;
  #plus: boolean;
  #cbindData: Buffer = Buffer.alloc(0);

  /**
   * `channelBinding` is the tls-server-end-point hash when the connection is TLS (then PLUS is
   * offered); `plus` is whether the client chose SCRAM-SHA-256-PLUS. `serverNonce` is for test
   * vectors only; by default 18 random bytes.
   */
  constructor(
    verifier: ScramVerifier,
    opts: { serverNonce?: string; channelBinding?: Buffer; plus?: boolean } = {},
  ) {
    this.#verifier = verifier;
    this.#serverNonce = opts.serverNonce ?? randomBytes(18).toString("base64");
    this.#channelBinding = opts.channelBinding;
    this.#plus = opts.plus ?? false;
  }

  /** Reads client-first-message and returns server-first-message. */
  first(clientFirst: string): string {
    const m = /^(n|y|p=[^,]*),(a=[^,]*)?,(.*)$/s.exec(clientFirst);
    if (m === null) malformedThrow("unexpected GS2 header");
    this.#checkBindingFlag(m[1]!);
    if (m[2] !== undefined) {
      throw new DbError(
        SqlState.featureNotSupported,
        "client uses authorization identity, but it is not supported",
        { severity: "FATAL" },
      );
    }
    const bare = m[3]!;
    const parts = bare.split(",");
    if (parts.length < 2 || !parts[0]!.startsWith("n=") || !parts[1]!.startsWith("r=")) {
      malformedThrow("expected attributes n and r in client-first-message");
    }
    if (parts.slice(2).some((p) => p.startsWith("m="))) {
      throw new DbError(
        SqlState.featureNotSupported,
        "client requires an unsupported SCRAM extension",
        {
          severity: "FATAL",
        },
      );
    }
    const clientNonce = parts[1]!.slice(2);
    if (clientNonce === "" || !/^[\x21-\x2b\x2d-\x7e]+$/.test(clientNonce)) {
      malformedThrow("client nonce contains invalid characters");
    }
    this.#gs2Header = clientFirst.slice(0, clientFirst.length - bare.length);
    this.#clientFirstBare = bare;
    this.#nonce = clientNonce + this.#serverNonce;
    const v = this.#verifier;
    this.#serverFirst = `r=${this.#nonce},s=${v.salt.toString("base64")},i=${v.iterations}`;
    return this.#serverFirst;
  }

  /** Checks the GS2 channel-binding flag against what was offered and chosen. */
  #checkBindingFlag(flag: string): void {
    if (flag.startsWith("p=")) {
      const type = flag.slice(2);
      if (this.#channelBinding === undefined || !this.#plus) {
        malformedThrow(
          "The client selected SCRAM-SHA-256 without channel binding, but the SCRAM message includes channel binding data.",
        );
      }
      if (type !== "tls-server-end-point") {
        throw new DbError(
          SqlState.protocolViolation,
          `unsupported SCRAM channel-binding type "${type}"`,
          { severity: "FATAL" },
        );
      }
      this.#cbindData = this.#channelBinding;
      return;
    }
    if (this.#plus) {
      malformedThrow(
        "The client selected SCRAM-SHA-256-PLUS, but the SCRAM message does not include channel binding data.",
      );
    }
    if (flag === "y" && this.#channelBinding !== undefined) {
      throw new DbError(SqlState.protocolViolation, "SCRAM channel binding negotiation error", {
        severity: "FATAL",
        detail:
          "The client supports SCRAM channel binding but thinks the server does not.  However, this server does support channel binding.",
      });
    }
  }

  /** Reads client-final-message; returns server-final-message, or undefined for a wrong proof. */
  final(clientFinal: string): string | undefined {
    const m = /^c=([^,]*),r=([^,]*),(?:.*,)?p=([A-Za-z0-9+/=]+)$/s.exec(clientFinal);
    if (m === null) malformedThrow("expected attributes c, r and p in client-final-message");
    const expected = Buffer.concat([Buffer.from(this.#gs2Header, "latin1"), this.#cbindData]);
    if (!Buffer.from(m[1]!, "base64").equals(expected)) {
      throw new DbError(SqlState.protocolViolation, "SCRAM channel binding check failed", {
        severity: "FATAL",
      });
    }
    if (m[2] !== this.#nonce) malformedThrow("nonce does not match");
    const proof = Buffer.from(m[3]!, "base64");
    if (proof.length !== 32) malformedThrow("malformed proof in client-final-message");
    const withoutProof = clientFinal.slice(0, clientFinal.lastIndexOf(",p="));
    const authMessage = `${this.#clientFirstBare},${this.#serverFirst},${withoutProof}`;
    const v = this.#verifier;
    const signature = hmac(v.storedKey, authMessage);
    const clientKey = Buffer.alloc(32);
    for (let i = 0; i < 32; i++) clientKey[i] = proof[i]! ^ signature[i]!;
    if (!timingSafeEqual(sha256(clientKey), v.storedKey)) return undefined;
    return `v=${hmac(v.serverKey, authMessage).toString("base64")}`;
  }
}

/**
 * The tls-server-end-point channel binding data (RFC 5929): the hash of the server certificate,
 * with the certificate's signature hash, SHA-256 for MD5 and SHA-1 (and when unknown).
 */
export function tlsServerEndPoint(certificateDer: Uint8Array): Buffer {
  const der = Buffer.from(certificateDer);
  const oid = (hex: string) => der.includes(Buffer.from(hex, "hex"));
  let hash = "sha256";
  // sha384WithRSAEncryption, ecdsa-with-SHA384; sha512WithRSAEncryption, ecdsa-with-SHA512.
  if (oid("2a864886f70d01010c") || oid("2a8648ce3d040303")) hash = "sha384";
  if (oid("2a864886f70d01010d") || oid("2a8648ce3d040304")) hash = "sha512";
  return createHash(hash).update(der).digest();
}

function malformedThrow(detail: string): never {
  throw malformed(detail);
}

// RFC 3454 B.1 (mapped to nothing) and C.1.2 (non-ASCII spaces, mapped to U+0020).
const mapToNothing = /[\u00AD\u034F\u1806\u180B-\u180D\u200B-\u200D\u2060\uFE00-\uFE0F\uFEFF]/g;
const nonAsciiSpace = /[\u00A0\u1680\u2000-\u200B\u202F\u205F\u3000]/g;
// A subset of the prohibited output (C.2, C.3, C.4, C.5, C.8): controls, private use,
// surrogates, non-characters and directionality marks.
const prohibited =
  // deno-lint-ignore no-control-regex -- control characters are exactly what is prohibited
  /[\u0000-\u001F\u007F-\u009F\u0340\u0341\u200E\u200F\u202A-\u202E\u206A-\u206F\uE000-\uF8FF\uFFF9-\uFFFF]/;

/**
 * SASLprep (RFC 4013) as PostgreSQL applies it: ASCII passwords pass unchanged; others are
 * mapped and NFKC-normalised; a password with prohibited characters is used as it is, as
 * PostgreSQL does, rather than refused.
 */
export function saslPrep(password: string): string {
  // deno-lint-ignore no-control-regex
  if (/^[\x00-\x7f]*$/.test(password)) return password;
  const mapped = password.replace(mapToNothing, "").replace(nonAsciiSpace, " ").normalize("NFKC");
  if (mapped === "" || prohibited.test(mapped)) return password;
  return mapped;
}
