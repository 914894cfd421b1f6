/**
 * @module Who is calling: a bearer JWT (its role and claims), HTTP Basic as the superuser
 * `postgres` with the admin password, or nobody (`anon`). Routes ask for the principal they need
 * with {@link principalOf}, {@link requireAdmin} or {@link requireToken}.
 */
import type { Context } from "hono";
import { type JwtClaims, JwtError, type JwtVerifier } from "../auth/mod.ts";
import { HttpError } from "./errors.ts";

/** The caller of a request. */
export type Principal =
  | { kind: "superuser"; role: "postgres" }
  | { kind: "token"; role: JwtClaims["role"]; claims: JwtClaims }
  | { kind: "anonymous"; role: "anon" };

/** What authentication needs from the server. */
export interface AuthContext {
  verifier: JwtVerifier;
  adminPassword: string;
}

const unauthorizedHeaders = { "WWW-Authenticate": 'Bearer realm="bkg", Basic realm="bkg"' };

/**
 * Reads the Authorization header (or an `apikey` header, as Supabase clients send it).
 * A header that is present but wrong is 401; no header at all is the anonymous principal.
 */
export async function principalOf(c: Context, auth: AuthContext): Promise<Principal> {
  const header = c.req.header("authorization") ?? "";
  const apikey = c.req.header("apikey");
  if (header === "" && apikey === undefined) return { kind: "anonymous", role: "anon" };
  const [scheme = "", value = ""] = header.split(/\s+/, 2);
  if (scheme.toLowerCase() === "basic") return basicPrincipal(value, auth);
  const token = scheme.toLowerCase() === "bearer" ? value : header === "" ? apikey! : "";
  if (token === "") {
    throw new HttpError(
      401,
      "unauthorized",
      "unsupported authorization scheme",
      unauthorizedHeaders,
    );
  }
  try {
    const claims = await auth.verifier.verify(token);
    return { kind: "token", role: claims.role, claims };
  } catch (err) {
    if (err instanceof JwtError) {
      throw new HttpError(
        401,
        "unauthorized",
        `invalid token: ${err.message}`,
        unauthorizedHeaders,
      );
    }
    throw err;
  }
}

/** The principal if it may administer (superuser or service_role); 401 or 403 otherwise. */
export async function requireAdmin(c: Context, auth: AuthContext): Promise<Principal> {
  const p = await principalOf(c, auth);
  if (p.kind === "superuser" || p.role === "service_role") return p;
  if (p.kind === "anonymous") {
    throw new HttpError(401, "unauthorized", "authentication required", unauthorizedHeaders);
  }
  throw new HttpError(403, "forbidden", "this needs a superuser or a service_role token");
}

/** The principal if it presented a valid token (or superuser credentials); 401 otherwise. */
export async function requireToken(c: Context, auth: AuthContext): Promise<Principal> {
  const p = await principalOf(c, auth);
  if (p.kind === "anonymous") {
    throw new HttpError(401, "unauthorized", "authentication required", unauthorizedHeaders);
  }
  return p;
}

function basicPrincipal(value: string, auth: AuthContext): Principal {
  let decoded = "";
  try {
    decoded = new TextDecoder().decode(Uint8Array.from(atob(value), (ch) => ch.charCodeAt(0)));
  } catch {
    // Falls through to the refusal below.
  }
  const colon = decoded.indexOf(":");
  const user = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  if (colon < 0 || user !== "postgres" || !constantTimeEqual(password, auth.adminPassword)) {
    throw new HttpError(401, "unauthorized", "invalid user name or password", unauthorizedHeaders);
  }
  return { kind: "superuser", role: "postgres" };
}

/** Compares two strings in time that depends only on their lengths. */
export function constantTimeEqual(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}
