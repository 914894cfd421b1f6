/**
 * @module SCRAM-SHA-256 password verifiers as PostgreSQL stores them in pg_authid.rolpassword
 * (`SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`, RFC 5802/7677), made with
 * WebCrypto so that CREATE ROLE … PASSWORD works inside db/ and pgwire can check logins.
 */

/** PostgreSQL's default scram_iterations. */
export const scramIterations = 4096;

function b64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

async function hmac(key: Uint8Array<ArrayBuffer>, text: string): Promise<Uint8Array<ArrayBuffer>> {
  const k = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", k, new TextEncoder().encode(text)));
}

/**
 * A SCRAM-SHA-256 verifier of `password` (a fresh random salt unless given).
 *
 * @example
 * const v = await scramVerifier("secret"); // "SCRAM-SHA-256$4096:…$…:…"
 */
export async function scramVerifier(
  password: string,
  opts: { salt?: Uint8Array<ArrayBuffer>; iterations?: number } = {},
): Promise<string> {
  const iterations = opts.iterations ?? scramIterations;
  const salt = opts.salt ?? crypto.getRandomValues(new Uint8Array(16));
  // SASLprep of non-ASCII passwords is not applied; PostgreSQL uses the raw bytes when a
  // password is not valid UTF-8 either, and ASCII passwords are unchanged by it.
  const base = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(password.normalize("NFKC")),
    "PBKDF2",
    false,
    ["deriveBits"],
  );
  const salted = new Uint8Array(
    await crypto.subtle.deriveBits(
      { name: "PBKDF2", hash: "SHA-256", salt, iterations },
      base,
      256,
    ),
  );
  const clientKey = await hmac(salted, "Client Key");
  const storedKey = new Uint8Array(await crypto.subtle.digest("SHA-256", clientKey));
  const serverKey = await hmac(salted, "Server Key");
  return `SCRAM-SHA-256$${iterations}:${b64(salt)}$${b64(storedKey)}:${b64(serverKey)}`;
}

/** Whether `text` is already a verifier (CREATE ROLE … PASSWORD 'SCRAM-SHA-256$…' stores it). */
export function isScramVerifier(text: string): boolean {
  return /^SCRAM-SHA-256\$\d+:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/.test(text);
}
