/** @module The public face of authentication: JWTs now; API keys and rate limits join here. */
export {
  type JwtClaims,
  JwtError,
  type JwtFailure,
  type JwtOptions,
  type JwtRole,
  jwtRoles,
  JwtVerifier,
  parseAudience,
} from "./jwt.ts";
export {
  type AsymmetricAlg,
  asymmetricAlgs,
  generateJwk,
  KeyFileError,
  KeyRing,
  loadKeyDir,
  type RingKey,
  ringKeyFromJwk,
} from "./keys.ts";
export { type RateDecision, RateLimiter } from "./rate_limit.ts";
