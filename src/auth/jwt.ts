/**
 * @module JWTs for every door (pgwire, HTTP, realtime, CAVE): HS256 with the configured secret
 * (its UTF-8 bytes, as Supabase's JWT secret is), ES256 and EdDSA keys by `kid` from the key
 * ring, the audience and issuer checked only when configured, and one error type whose reason
 * names what was wrong.
 */
import * as jose from "jose";
import { asymmetricAlgs, KeyRing } from "./keys.ts";

/** The roles a JWT may name; none of them is a superuser. */
export const jwtRoles = ["anon", "authenticated", "service_role"] as const;

/** A JWT role. */
export type JwtRole = typeof jwtRoles[number];

/** The verified claims of a token; `role` is always one of {@link jwtRoles}. */
export interface JwtClaims extends jose.JWTPayload {
  role: JwtRole;
  [claim: string]: unknown;
}

/** Why a token was refused. */
export type JwtFailure =
  | "malformed"
  | "algorithm"
  | "signature"
  | "expired"
  | "not_yet_valid"
  | "audience"
  | "issuer"
  | "role";

/** A refused token; doors answer 401 (HTTP) or 28P01 (pgwire). */
export class JwtError extends Error {
  constructor(readonly reason: JwtFailure, message: string) {
    super(message);
    this.name = "JwtError";
  }
}

/** What a verifier checks. */
export interface JwtOptions {
  /** The HS256 secret. */
  secret: string;
  /** Asymmetric keys; without them only HS256 tokens verify. */
  ring?: KeyRing;
  /** Accepted audiences; unset means the audience is not checked. */
  audience?: readonly string[];
  /** The required issuer; unset means the issuer is not checked. */
  issuer?: string;
}

/** Checks tokens against one configuration. */
export class JwtVerifier {
  readonly #ring: KeyRing;
  readonly #options: JwtOptions;

  constructor(options: JwtOptions) {
    this.#ring = options.ring ?? new KeyRing(options.secret);
    this.#options = options;
  }

  /** The key ring, for the JWKS route. */
  get ring(): KeyRing {
    return this.#ring;
  }

  /**
   * Verifies `token` and returns its claims, or throws JwtError.
   *
   * @example
   * const claims = await new JwtVerifier({ secret }).verify(token); // claims.role === "anon"
   */
  async verify(token: string): Promise<JwtClaims> {
    let payload: jose.JWTPayload;
    try {
      ({ payload } = await jose.jwtVerify(token, (header) => this.#keyFor(header), {
        algorithms: ["HS256", ...asymmetricAlgs],
        audience: this.#options.audience ? [...this.#options.audience] : undefined,
        issuer: this.#options.issuer,
      }));
    } catch (err) {
      throw toJwtError(err);
    }
    const role = payload.role;
    if (typeof role !== "string" || !(jwtRoles as readonly string[]).includes(role)) {
      throw new JwtError("role", `token role ${JSON.stringify(role)} is not one of ${jwtRoles}`);
    }
    return payload as JwtClaims;
  }

  #keyFor(header: jose.JWTHeaderParameters): Uint8Array | CryptoKey {
    if (header.alg === "HS256") return this.#ring.hmac;
    const key = header.kid === undefined ? undefined : this.#ring.get(header.kid);
    if (key === undefined) throw new JwtError("signature", "token key id is not known");
    if (key.alg !== header.alg) {
      throw new JwtError("algorithm", "token algorithm does not match its key");
    }
    return key.publicKey;
  }

  /**
   * Signs `claims` with the ring's signing key (its kid in the header), or HS256 without one,
   * adding `iat` and `exp` (`expiresInS` from now).
   *
   * @example
   * const token = await verifier.sign({ role: "authenticated", sub: userId }, { expiresInS: 3600 });
   */
  sign(claims: jose.JWTPayload & { role: JwtRole }, opts: { expiresInS: number }): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const signer = this.#ring.signingKey;
    const header = signer === undefined
      ? { alg: "HS256", typ: "JWT" }
      : { alg: signer.alg, typ: "JWT", kid: signer.kid };
    const jwt = new jose.SignJWT({ ...claims }).setProtectedHeader(header)
      .setIssuedAt(now).setExpirationTime(now + opts.expiresInS);
    if (this.#options.issuer && claims.iss === undefined) jwt.setIssuer(this.#options.issuer);
    const aud = this.#options.audience?.[0];
    if (aud && claims.aud === undefined) jwt.setAudience(aud);
    return jwt.sign(signer?.privateKey ?? this.#ring.hmac);
  }
}

/** Splits the comma-separated audience setting. */
export function parseAudience(setting: string | undefined): string[] | undefined {
  if (setting === undefined) return undefined;
  const list = setting.split(",").map((s) => s.trim()).filter((s) => s !== "");
  return list.length > 0 ? list : undefined;
}

function toJwtError(err: unknown): JwtError {
  if (err instanceof JwtError) return err;
  const e = err as { code?: string; claim?: string; message?: string };
  switch (e.code) {
    case "ERR_JWT_EXPIRED":
      return new JwtError("expired", "token has expired");
    case "ERR_JOSE_ALG_NOT_ALLOWED":
    case "ERR_JOSE_NOT_SUPPORTED":
      return new JwtError("algorithm", "token algorithm is not accepted");
    case "ERR_JWS_SIGNATURE_VERIFICATION_FAILED":
      return new JwtError("signature", "token signature is invalid");
    case "ERR_JWT_CLAIM_VALIDATION_FAILED":
      if (e.claim === "nbf") return new JwtError("not_yet_valid", "token is not yet valid");
      if (e.claim === "aud") return new JwtError("audience", "token audience is not accepted");
      if (e.claim === "iss") return new JwtError("issuer", "token issuer is not accepted");
      if (e.claim === "iat") return new JwtError("not_yet_valid", "token is issued in the future");
      return new JwtError("malformed", `token claim ${e.claim} is invalid`);
    default:
      return new JwtError("malformed", "token is malformed");
  }
}
