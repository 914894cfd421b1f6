/**
 * @module `/auth`, compatible with Supabase's GoTrue: `POST /auth/signup`, `POST /auth/token`
 * (`grant_type=password` or `refresh_token`), `POST /auth/logout`, `GET /auth/user`. Users,
 * sessions and hashed refresh tokens live in BKG-DB's `auth` schema; access tokens are signed
 * by the server's JWT signer. Errors have GoTrue's shape `{code, error_code, msg}`; signup and
 * token are rate limited per client address.
 */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { Database } from "../../../db/mod.ts";
import { DbError } from "../../../db/mod.ts";
import {
  accessClaims,
  AuthFailure,
  authRevokeSql,
  authSchemaSql,
  type AuthSql,
  type AuthTransaction,
  passwordBytesMax,
  RateLimiter,
  type SignedIn,
  userJson,
  UserStore,
} from "../../auth/mod.ts";
import { log } from "../../telemetry/mod.ts";
import { type AuthContext, principalOf } from "../auth.ts";
import { HttpError } from "../errors.ts";
import { SqlSession, type SqlSessionOptions } from "../sql_session.ts";
import { bearerOnly, bodyLimitFor, clientAddress, json } from "./common.ts";

/** What `/auth` needs. */
export interface AuthRoutesContext {
  auth: AuthContext;
  db?: Database;
  limits: SqlSessionOptions & { maxBodyBytes: number };
  /** Requests a minute per client address to signup and token. */
  rateLimit: number;
  /** Access token lifetime in seconds. */
  jwtExpiryS: number;
  /** The `aud` of issued tokens (the first configured audience, else `authenticated`). */
  audience: string;
}

const gotrueError = z.object({
  code: z.number().int().openapi({ example: 400 }),
  error_code: z.string().openapi({ example: "invalid_credentials" }),
  msg: z.string().openapi({ example: "Invalid login credentials" }),
}).openapi("AuthError");

const userSchema = z.object({
  id: z.string(),
  aud: z.string(),
  role: z.string(),
  email: z.string(),
  email_confirmed_at: z.string().nullable(),
  phone: z.string(),
  confirmed_at: z.string().nullable(),
  last_sign_in_at: z.string().nullable(),
  app_metadata: z.record(z.string(), z.any()),
  user_metadata: z.record(z.string(), z.any()),
  identities: z.array(z.any()),
  created_at: z.string().nullable(),
  updated_at: z.string().nullable(),
  is_anonymous: z.boolean(),
}).openapi("User");

const sessionSchema = z.object({
  access_token: z.string(),
  token_type: z.literal("bearer"),
  expires_in: z.number().int(),
  expires_at: z.number().int(),
  refresh_token: z.string(),
  user: userSchema,
}).openapi("Session");

const credentials = z.object({
  email: z.string().max(320).optional(),
  password: z.string().optional(),
  refresh_token: z.string().max(200).optional(),
  data: z.record(z.string(), z.any()).optional().openapi({ description: "user_metadata" }),
});

const errors = {
  400: json(gotrueError, "Invalid request, credentials or refresh token"),
  413: json(gotrueError, "The body is larger than --query-max-body-kb"),
  429: json(gotrueError, "Too many requests from this address (Retry-After)"),
  503: json(gotrueError, "The database is not running"),
};

const routes = {
  signup: createRoute({
    method: "post",
    path: "/auth/signup",
    tags: ["auth"],
    summary: "Create a user with email and password; answers a session (autoconfirm)",
    request: { body: { content: { "application/json": { schema: credentials } } } },
    responses: {
      200: json(sessionSchema, "The new user, signed in"),
      422: json(gotrueError, "A weak password or an email already registered"),
      ...errors,
    },
  }),
  token: createRoute({
    method: "post",
    path: "/auth/token",
    tags: ["auth"],
    summary: "Sign in (grant_type=password) or rotate a refresh token (grant_type=refresh_token)",
    request: {
      query: z.object({ grant_type: z.string().optional() }),
      body: { content: { "application/json": { schema: credentials } } },
    },
    responses: { 200: json(sessionSchema, "A new session or its next tokens"), ...errors },
  }),
  logout: createRoute({
    method: "post",
    path: "/auth/logout",
    tags: ["auth"],
    summary: "End sessions: scope global (default: all of the user's), local or others",
    security: bearerOnly,
    request: { query: z.object({ scope: z.enum(["global", "local", "others"]).optional() }) },
    responses: {
      204: { description: "Signed out; the sessions' refresh tokens no longer work" },
      401: json(gotrueError, "No or a bad bearer token"),
      403: json(gotrueError, "A token that names no user"),
      ...errors,
    },
  }),
  user: createRoute({
    method: "get",
    path: "/auth/user",
    tags: ["auth"],
    summary: "The user of the bearer token",
    security: bearerOnly,
    responses: {
      200: json(userSchema, "The user"),
      401: json(gotrueError, "No or a bad bearer token"),
      403: json(gotrueError, "A token whose user or session no longer exists"),
      ...errors,
    },
  }),
};

/** Adds the `/auth` routes; the auth tables are created now, in the background, when missing. */
export function addAuthRoutes(app: OpenAPIHono, ctx: AuthRoutesContext): void {
  const limiter = new RateLimiter({ limit: ctx.rateLimit, windowMs: 60_000 });
  const tx = ctx.db === undefined ? undefined : transactionOn(ctx.db, ctx.limits);
  const ready = tx === undefined ? undefined : createAuthSchema(tx);
  ready?.catch((err) => log("error", "cannot create the auth tables", { error: String(err) }));
  const store = async (): Promise<UserStore> => {
    if (tx === undefined || ready === undefined) {
      throw new AuthFailureStatus(503, "unavailable", "the database is not running on this server");
    }
    await ready;
    return new UserStore(tx, ctx.audience);
  };
  const limited = (c: Context) => {
    const decision = limiter.take(clientAddress(c));
    if (!decision.ok) {
      c.header("Retry-After", String(decision.retryAfterS));
      throw new AuthFailureStatus(429, "over_request_rate_limit", "Request rate limit reached");
    }
  };
  const session = async (c: Context, s: SignedIn, method: "password" | "token_refresh") => {
    const claims = accessClaims(s.user, s.sessionId, { aud: ctx.audience, method });
    const token = await ctx.auth.verifier.sign(claims, { expiresInS: ctx.jwtExpiryS });
    return c.json({
      access_token: token,
      token_type: "bearer" as const,
      expires_in: ctx.jwtExpiryS,
      expires_at: Math.floor(Date.now() / 1000) + ctx.jwtExpiryS,
      refresh_token: s.refreshToken,
      user: userJson(s.user),
    }, 200);
  };

  app.use("/auth/*", bodyLimitFor(ctx.limits.maxBodyBytes));
  app.openapi(routes.signup, (c) =>
    gotrue(c, async () => {
      limited(c);
      const body = c.req.valid("json");
      const email = validEmail(body.email);
      const password = validPassword(body.password, "Signup requires a valid password");
      if (password.length < 6) {
        throw new AuthFailure(422, "weak_password", "Password should be at least 6 characters.");
      }
      return await session(
        c,
        await (await store()).signUp(email, password, body.data ?? {}),
        "password",
      );
    }), gotrueHook);
  app.openapi(routes.token, (c) =>
    gotrue(c, async () => {
      limited(c);
      const grant = c.req.valid("query").grant_type;
      const body = c.req.valid("json");
      if (grant === "password") {
        const email = validEmail(body.email);
        const password = validPassword(body.password, "Invalid login credentials");
        return await session(c, await (await store()).signIn(email, password), "password");
      }
      if (grant === "refresh_token") {
        if (!body.refresh_token) {
          throw new AuthFailure(400, "validation_failed", "Refresh token is required");
        }
        return await session(c, await (await store()).refresh(body.refresh_token), "token_refresh");
      }
      throw new AuthFailure(
        400,
        "unsupported_grant_type",
        "Unsupported grant type: use password or refresh_token",
      );
    }), gotrueHook);
  app.openapi(routes.logout, (c) =>
    gotrue(c, async () => {
      const { sub, sessionId } = await tokenUser(c, ctx.auth);
      await (await store()).signOut(sub, sessionId, c.req.valid("query").scope ?? "global");
      return c.body(null, 204);
    }), gotrueHook);
  app.openapi(routes.user, (c) =>
    gotrue(c, async () => {
      const { sub, sessionId } = await tokenUser(c, ctx.auth);
      return c.json(userJson(await (await store()).user(sub, sessionId)), 200);
    }), gotrueHook);
}

/** A refusal with a status outside {@link AuthFailure}'s (429, 503, 401 from the principal). */
class AuthFailureStatus extends Error {
  constructor(readonly status: 401 | 429 | 503, readonly code: string, message: string) {
    super(message);
  }
}

/** Runs a handler and renders refusals in GoTrue's error shape. */
async function gotrue<R>(c: Context, handler: () => Promise<R>): Promise<R> {
  try {
    return await handler();
  } catch (err) {
    return refusal(c, err) as R;
  }
}

/** A GoTrue error body for a refusal; anything else is rethrown to the app's handler. */
function refusal(c: Context, err: unknown): Response {
  if (err instanceof AuthFailure || err instanceof AuthFailureStatus) {
    return c.json({ code: err.status, error_code: err.code, msg: err.message }, err.status);
  }
  if (err instanceof HttpError) {
    for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
    return c.json({ code: err.status, error_code: err.code, msg: err.message }, err.status);
  }
  if (err instanceof DbError) {
    log("error", "auth request failed in the database", { code: err.code, error: err.message });
    const status = err.code === "57014" ? 503 : 500;
    return c.json({ code: status, error_code: "unexpected_failure", msg: err.message }, status);
  }
  throw err;
}

/** Body validation failures in GoTrue's shape. */
function gotrueHook(
  result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } },
  c: Context,
) {
  if (result.success) return;
  const issue = result.error?.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
  return c.json({
    code: 400,
    error_code: "validation_failed",
    msg: `${where}${issue?.message ?? "invalid request"}`,
  }, 400);
}

function validEmail(email: string | undefined): string {
  const e = (email ?? "").trim().toLowerCase();
  // One @, something on both sides, a dot in the domain: what GoTrue's format check accepts.
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e)) {
    throw new AuthFailure(
      400,
      "validation_failed",
      "Unable to validate email address: invalid format",
    );
  }
  return e;
}

function validPassword(password: string | undefined, missing: string): string {
  if (password === undefined || password === "") {
    throw new AuthFailure(422, "validation_failed", missing);
  }
  if (new TextEncoder().encode(password).length > passwordBytesMax) {
    throw new AuthFailure(
      422,
      "weak_password",
      `Password must be at most ${passwordBytesMax} bytes`,
    );
  }
  return password;
}

/** The user id and session of the bearer token (401 without a valid one; 403 without `sub`). */
async function tokenUser(
  c: Context,
  auth: AuthContext,
): Promise<{ sub: string; sessionId: string | undefined }> {
  if (!/^bearer\s+\S/i.test(c.req.header("authorization") ?? "")) {
    throw new AuthFailureStatus(401, "no_authorization", "This endpoint requires a Bearer token");
  }
  const p = await principalOf(c, auth);
  if (p.kind !== "token") {
    throw new AuthFailureStatus(401, "no_authorization", "This endpoint requires a Bearer token");
  }
  const sub = p.claims.sub;
  if (typeof sub !== "string" || !/^[0-9a-f-]{36}$/i.test(sub)) {
    throw new AuthFailure(403, "bad_jwt", "invalid claim: missing sub claim");
  }
  const sid = p.claims.session_id;
  return { sub, sessionId: typeof sid === "string" ? sid : undefined };
}

/** One superuser session per transaction. */
function transactionOn(db: Database, limits: SqlSessionOptions): AuthTransaction {
  return async <T>(fn: (sql: AuthSql) => Promise<T>): Promise<T> => {
    const s = await SqlSession.open(db, { user: "postgres" }, limits);
    try {
      await s.begin();
      const sql: AuthSql = {
        query: async (text, params) => s.objects(await s.query(text, params)),
      };
      const result = await fn(sql);
      await s.commit();
      return result;
    } finally {
      await s.close();
    }
  };
}

/** Creates the auth tables when missing; keeps the API roles away from them where GRANT works. */
async function createAuthSchema(tx: AuthTransaction): Promise<void> {
  await tx(async (sql) => {
    for (const statement of authSchemaSql) await sql.query(statement);
  });
  try {
    await tx((sql) => sql.query(authRevokeSql));
  } catch (err) {
    // An engine without GRANT yet answers 0A000; the tables then have no privilege checks.
    if (!(err instanceof DbError) || err.code !== "0A000") throw err;
    log("warn", "auth tables: privileges not enforced by this engine", { error: err.message });
  }
}
