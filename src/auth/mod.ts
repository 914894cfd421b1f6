/**
 * @module The public face of authentication: JWTs, rate limits, and the GoTrue-compatible users,
 * passwords and refresh tokens behind `/auth`.
 */
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
export { hashPassword, passwordBytesMax, verifyPassword } from "./passwords.ts";
export { hashRefreshToken, newRefreshToken } from "./refresh_tokens.ts";
export {
  AuthFailure,
  authRevokeSql,
  type AuthRow,
  authSchemaSql,
  type AuthSql,
  type AuthTransaction,
  type SignedIn,
  UserStore,
} from "./users.ts";
export { accessClaims, type GoTrueUser, rfc3339, userJson } from "./gotrue.ts";
