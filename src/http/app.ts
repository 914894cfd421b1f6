/**
 * @module The Hono application: request logging, JSON errors, every route, and the OpenAPI
 * document generated from the routes' zod schemas at `GET /openapi.json`.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import { log } from "../telemetry/mod.ts";
import { version } from "../version.ts";
import type { AuthContext } from "./auth.ts";
import { errorResponse, HttpError } from "./errors.ts";
import { addHealthRoutes } from "./routes/health.ts";
import { addAdminRoutes } from "./routes/admin.ts";
import type { Database } from "../../db/mod.ts";
import { addJwksRoutes } from "./routes/jwks.ts";
import { addSandboxRoutes, type SandboxRoutesContext } from "./routes/sandboxes.ts";
import { addRealtimeRoutes } from "./routes/realtime.ts";
import type { RealtimeHub } from "../realtime/mod.ts";

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
}

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
    if (err instanceof HttpError) {
      return errorResponse(c, err.status, err.code, err.message, { headers: err.headers });
    }
    if (err instanceof SyntaxError) return errorResponse(c, 400, "invalid_request", err.message);
    log("error", "unhandled error in route", {
      path: c.req.path,
      error: String(err?.stack ?? err),
    });
    return errorResponse(c, 500, "internal", "internal server error");
  });
  return app;
}
