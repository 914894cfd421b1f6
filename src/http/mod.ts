/** @module The public face of the HTTP door. */
export { type AppContext, createApp } from "./app.ts";
export { errorResponse, errorSchema, HttpError, statusForSqlState } from "./errors.ts";
export {
  type AuthContext,
  constantTimeEqual,
  type Principal,
  principalOf,
  requireAdmin,
  requireToken,
} from "./auth.ts";
