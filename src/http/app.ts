/**
 * @module The Hono application: request logging, JSON errors, every route, and the OpenAPI
 * document generated from the routes' zod schemas at `GET /openapi.json`.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import { HTTPException } from "hono/http-exception";
import { log } from "../telemetry/mod.ts";
import { version } from "../version.ts";
import type { AuthContext } from "./auth.ts";
import { errorResponse, HttpError, httpErrorOfDb } from "./errors.ts";
import { addHealthRoutes } from "./routes/health.ts";
import { addAdminRoutes } from "./routes/admin.ts";
import { type Database, DbError } from "../../db/mod.ts";
import { addJwksRoutes } from "./routes/jwks.ts";
import { addSandboxRoutes, type SandboxRoutesContext } from "./routes/sandboxes.ts";
import { addRealtimeRoutes } from "./routes/realtime.ts";
import type { RealtimeHub } from "../realtime/mod.ts";
import { type Config, configSchema } from "../config.ts";
import { addQueryRoutes } from "./routes/query.ts";
import { addAuthRoutes } from "./routes/auth.ts";
import { addSchemaRoutes } from "./routes/schema.ts";
import { addPolicyRoutes } from "./routes/policy.ts";
import { parseAudience } from "../auth/mod.ts";

/** What the routes need from the running server. */
export interface AppContext {
  /** performance.now() at start, for the uptime. */
  startedMs: number;
  /** Token verification and the admin password, for routes that authenticate. */
  auth: AuthContext;
  /** CAVE: the sandbox manager (read at each request), or why there is none (503). */
  sandboxes?: SandboxRoutesContext["state"];
  /** BKG-DB, for `POST /admin/checkpoint` (503 without it). */
  db?: Database;
  /** Realtime (issue 7): the websocket hub and its metrics. */
  realtime?: RealtimeHub;
  /** Settings of /query, /schema, /policy and /auth (issue 6); defaults when absent. */
  settings?: HttpDoorSettings;
}

/** The settings the SQL-backed doors read (src/config.ts). */
export type HttpDoorSettings = Pick<
  Config,
  | "queryMaxBodyKb"
  | "queryTimeoutMs"
  | "queryMaxRows"
  | "authRateLimit"
  | "authJwtExpiry"
  | "jwtAudience"
>;

/** Builds the application with every route. */
export function createApp(ctx: AppContext): OpenAPIHono {
  const app = new OpenAPIHono({
    defaultHook: (result, c) => {
      if (result.success) return;
      const issue = result.error.issues[0];
      const where = issue && issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
      return errorResponse(c, 400, "invalid_request", `${where}${issue?.message ?? "invalid"}`);
    },
  });

  app.use("*", async (c, next) => {
    const started = performance.now();
    await next();
    log("info", "http request", {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      duration_ms: Math.round((performance.now() - started) * 100) / 100,
    });
  });

  addHealthRoutes(app, ctx.startedMs);
  addAdminRoutes(app, { auth: ctx.auth, db: ctx.db });
  addJwksRoutes(app, ctx.auth);
  addSandboxRoutes(app, { auth: ctx.auth, state: ctx.sandboxes ?? {} });
  addRealtimeRoutes(app, ctx.realtime);
  addSqlDoors(app, ctx);

  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "BKG",
      version,
      description: "BKG: the BKG-DB database, CAVE sandboxes and their control plane.",
    },
  });

  app.notFound((c) =>
    errorResponse(c, 404, "not_found", `no route for ${c.req.method} ${c.req.path}`)
  );
  app.onError((err, c) => {
    if (err instanceof DbError) err = httpErrorOfDb(err);
    if (err instanceof HttpError) {
      return errorResponse(c, err.status, err.code, err.message, {
        ...err.fields,
        headers: err.headers,
      });
    }
    if (err instanceof SyntaxError) return errorResponse(c, 400, "invalid_request", err.message);
    if (err instanceof HTTPException && err.status < 500) {
      return errorResponse(c, err.status, "invalid_request", err.message);
    }
    log("error", "unhandled error in route", {
      path: c.req.path,
      error: String(err?.stack ?? err),
    });
    return errorResponse(c, 500, "internal", "internal server error");
  });
  return app;
}

/** Issue 6: `/query`, `/schema`, `/policy` and `/auth` on the database. */
function addSqlDoors(app: OpenAPIHono, ctx: AppContext): void {
  const settings = ctx.settings ?? configSchema.parse({});
  const limits = {
    maxBodyBytes: settings.queryMaxBodyKb * 1024,
    timeoutMs: settings.queryTimeoutMs,
    maxRows: settings.queryMaxRows,
  };
  addQueryRoutes(app, { auth: ctx.auth, db: ctx.db, limits });
  addSchemaRoutes(app, { auth: ctx.auth, db: ctx.db, limits });
  addPolicyRoutes(app, { auth: ctx.auth, db: ctx.db, limits });
  addAuthRoutes(app, {
    auth: ctx.auth,
    db: ctx.db,
    limits,
    rateLimit: settings.authRateLimit,
    jwtExpiryS: settings.authJwtExpiry,
    audience: parseAudience(settings.jwtAudience)?.[0] ?? "authenticated",
  });
}
