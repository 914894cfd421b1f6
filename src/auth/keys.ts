/**
 * @module The JWT key ring: the HS256 secret, plus asymmetric keys (ES256 or EdDSA) read from a
 * key directory, each named by its `kid`. Several keys verify at once during a rotation; the
 * private key whose kid sorts last signs (name kids by date: `2026-11-26`, `2027-02-01`). Their
 * public halves are published at `GET /auth/jwks`.
 */
import * as jose from "jose";

/** The asymmetric algorithms accepted. RS256 and friends are refused, as is `none`. */
export const asymmetricAlgs = ["ES256", "EdDSA"] as const;

/** An asymmetric algorithm. */
export type AsymmetricAlg = typeof asymmetricAlgs[number];

/** One asymmetric key of the ring. */
export interface RingKey {
  kid: string;
  alg: AsymmetricAlg;
  publicKey: CryptoKey;
  privateKey?: CryptoKey;
  /** The public JWK as published in the JWKS. */
  publicJwk: jose.JWK;
}

/** A key file that cannot be used; start-up reports it as a configuration error. */
export class KeyFileError extends Error {
  constructor(readonly file: string, reason: string) {
    super(`${file}: ${reason}`);
    this.name = "KeyFileError";
  }
}

/** The keys a verifier and signer use. */
export class KeyRing {
  readonly hmac: Uint8Array;
  readonly #keys = new Map<string, RingKey>();

  constructor(secret: string, keys: readonly RingKey[] = []) {
    this.hmac = new TextEncoder().encode(secret);
    for (const key of keys) this.#keys.set(key.kid, key);
  }

  /** The key named `kid`, if the ring has it. */
  get(kid: string): RingKey | undefined {
    return this.#keys.get(kid);
  }

  /** The private key that signs: the one whose kid sorts last; undefined means HS256. */
  get signingKey(): RingKey | undefined {
    const signers = [...this.#keys.values()].filter((k) => k.privateKey !== undefined);
    return signers.sort((a, b) => (a.kid < b.kid ? -1 : a.kid > b.kid ? 1 : 0)).at(-1);
  }

  /** The JWKS document: every asymmetric public key. */
  jwks(): { keys: jose.JWK[] } {
    return { keys: [...this.#keys.values()].map((k) => k.publicJwk) };
  }
}

/**
 * Reads every `*.json` JWK in `dir` (a missing directory is an empty ring).
 *
 * @example
 * const ring = new KeyRing(secret, await loadKeyDir("./data/jwt-keys"));
 */
export async function loadKeyDir(dir: string): Promise<RingKey[]> {
  const keys: RingKey[] = [];
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(dir));
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return [];
    throw err;
  }
  for (const entry of entries.filter((e) => e.isFile && e.name.endsWith(".json"))) {
    const file = `${dir}/${entry.name}`;
    let jwk: jose.JWK;
    try {
      jwk = JSON.parse(await Deno.readTextFile(file));
    } catch (err) {
      throw new KeyFileError(file, `not a JSON JWK (${err instanceof Error ? err.message : err})`);
    }
    const key = await ringKeyFromJwk(jwk, file);
    if (keys.some((k) => k.kid === key.kid)) throw new KeyFileError(file, `kid ${key.kid} twice`);
    keys.push(key);
  }
  return keys;
}

/** Builds a ring key from a JWK (private keys carry `d`). */
export async function ringKeyFromJwk(jwk: jose.JWK, source = "JWK"): Promise<RingKey> {
  const alg = jwk.alg ?? (jwk.kty === "OKP" ? "EdDSA" : jwk.kty === "EC" ? "ES256" : undefined);
  if (!(asymmetricAlgs as readonly (string | undefined)[]).includes(alg)) {
    throw new KeyFileError(source, `alg must be one of ${asymmetricAlgs.join(", ")}`);
  }
  if (typeof jwk.kid !== "string" || jwk.kid === "") throw new KeyFileError(source, "kid missing");
  const { d: _d, ...publicPart } = jwk;
  const publicJwk: jose.JWK = { ...publicPart, alg, use: "sig", kid: jwk.kid };
  delete publicJwk.key_ops;
  try {
    const publicKey = await jose.importJWK(publicJwk, alg) as CryptoKey;
    const privateKey = jwk.d === undefined
      ? undefined
      : await jose.importJWK(jwk, alg) as CryptoKey;
    return { kid: jwk.kid, alg: alg as AsymmetricAlg, publicKey, privateKey, publicJwk };
  } catch (err) {
    throw new KeyFileError(source, `unusable key (${err instanceof Error ? err.message : err})`);
  }
}

/**
 * Makes a new private JWK for the key directory.
 *
 * @example
 * await Deno.writeTextFile("data/jwt-keys/2026-11-26.json", JSON.stringify(await generateJwk("ES256", "2026-11-26")));
 */
export async function generateJwk(alg: AsymmetricAlg, kid: string): Promise<jose.JWK> {
  const pair = await jose.generateKeyPair(alg, { extractable: true });
  return { ...await jose.exportJWK(pair.privateKey), alg, kid, use: "sig" };
}
