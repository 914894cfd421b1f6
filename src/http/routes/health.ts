/** @module `GET /health`: liveness, the version and the uptime. */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { version } from "../../version.ts";

const healthSchema = z.object({
  status: z.literal("ok"),
  version: z.string().openapi({ example: "0.1.0" }),
  uptime_s: z.number().openapi({ example: 12.5 }),
}).openapi("Health");

const route = createRoute({
  method: "get",
  path: "/health",
  tags: ["server"],
  summary: "Liveness: the server answers, with its version and uptime",
  responses: {
    200: {
      description: "The server is up",
      content: { "application/json": { schema: healthSchema } },
    },
  },
});

/** Adds `GET /health`; `startedMs` is when the server started (performance.now()). */
export function addHealthRoutes(app: OpenAPIHono, startedMs: number): void {
  app.openapi(route, (c) =>
    c.json({
      status: "ok" as const,
      version,
      uptime_s: Math.round((performance.now() - startedMs) / 10) / 100,
    }, 200));
}
