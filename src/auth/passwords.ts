/**
 * @module Password hashes for `/auth`: scrypt (node:crypto) with a 16-byte random salt per
 * password, stored in a PHC-like string that names its parameters, so they can be raised later
 * without breaking old hashes; verification compares in constant time.
 */
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";

/** scrypt cost: N = 2^ln, r, p. 2^15 × 8 × 128 B = 32 MiB and ≈ 0.1 s per hash (OWASP's minimum is N = 2^17 with r 8 only for p 1 at 128 MiB; 2^15 fits servers that hash concurrently). */
const params = { ln: 15, r: 8, p: 1 };
const keyBytes = 32;
const saltBytes = 16;
/** The longest password accepted: hashing cost must not depend on attacker-sized input. */
export const passwordBytesMax = 1024;

function derive(
  password: string,
  salt: Uint8Array,
  p: { ln: number; r: number; p: number },
): Promise<Uint8Array> {
  const N = 2 ** p.ln;
  return new Promise((resolve, reject) =>
    scrypt(password.normalize("NFKC"), salt, keyBytes, {
      N,
      r: p.r,
      p: p.p,
      maxmem: 256 * N * p.r + 1024 * 1024,
    }, (err, key) => err ? reject(err) : resolve(new Uint8Array(key)))
  );
}

const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/=+$/, "");
const unb64 = (s: string) => Uint8Array.from(atob(s), (ch) => ch.charCodeAt(0));

/**
 * Hashes `password` with a fresh salt.
 *
 * @example
 * const stored = await hashPassword("correct horse"); // "$scrypt$ln=15,r=8,p=1$…$…"
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = new Uint8Array(randomBytes(saltBytes));
  const key = await derive(password, salt, params);
  return `$scrypt$ln=${params.ln},r=${params.r},p=${params.p}$${b64(salt)}$${b64(key)}`;
}

/**
 * True when `password` matches `stored` (false for a malformed hash). With `stored` undefined it
 * still spends one hash's time, so an unknown user answers as slowly as a known one.
 */
export async function verifyPassword(
  password: string,
  stored: string | undefined,
): Promise<boolean> {
  const m = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(
    stored ?? "",
  );
  if (m === null) {
    await derive(password, new Uint8Array(saltBytes), params);
    return false;
  }
  const p = { ln: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  if (p.ln > 20 || p.r > 32 || p.p > 16) return false;
  const expected = unb64(m[5]!);
  const key = await derive(password, unb64(m[4]!), p);
  return key.length === expected.length && timingSafeEqual(key, expected);
}
