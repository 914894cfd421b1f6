/**
 * @module Realtime doors: `GET /realtime/v1/websocket` (Phoenix channels for
 * @supabase/realtime-js) and `GET /metrics` (Prometheus text), both in /openapi.json. Without a
 * hub (no database) the websocket answers 503 and /metrics is empty.
 */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { RealtimeHub } from "../../realtime/mod.ts";
import { errorResponse, errorSchema } from "../errors.ts";

const jsonError = (description: string) => ({
  description,
  content: { "application/json": { schema: errorSchema } },
});

const websocketRoute = createRoute({
  method: "get",
  path: "/realtime/v1/websocket",
  tags: ["realtime"],
  summary: "Realtime websocket: Phoenix channels as @supabase/realtime-js speaks them",
  description: "Upgrade to a websocket speaking Phoenix channels (serializer `vsn` 1.0.0 JSON " +
    "objects or 2.0.0 JSON arrays plus binary broadcast frames). Channels carry " +
    "`postgres_changes` (committed row changes, filtered per subscriber by row-level security " +
    "and privileges; `config.resume_lsn` resumes after an `lsn` seen before), `broadcast` " +
    "(`self`, `ack`) and `presence` (`presence_state`, `presence_diff`). See docs/api.md.",
  request: {
    query: z.object({
      vsn: z.string().optional().openapi({
        description: "serializer version: 1.0.0 (default) or 2.0.0",
        example: "2.0.0",
      }),
      apikey: z.string().optional().openapi({
        description: "a BKG JWT: its role and claims decide what the channels receive " +
          "(anon without one); a channel's `access_token` replaces it",
      }),
    }),
  },
  responses: {
    101: { description: "Switching protocols: the websocket is open" },
    400: jsonError("Unsupported `vsn`"),
    401: jsonError("The `apikey` token is invalid or expired"),
    426: jsonError("The request is not a websocket upgrade"),
    503: jsonError("Realtime is not running (no database)"),
  },
});

const metricsRoute = createRoute({
  method: "get",
  path: "/metrics",
  tags: ["realtime"],
  summary: "Prometheus metrics: realtime clients, subscriptions, events, delivery latency",
  responses: {
    200: {
      description: "Prometheus text exposition format 0.0.4",
      content: {
        "text/plain": {
          schema: z.string().openapi({ example: "bkg_realtime_connected_clients 3\n" }),
        },
      },
    },
  },
});

/** Adds the realtime websocket and the metrics endpoint. */
export function addRealtimeRoutes(app: OpenAPIHono, hub: RealtimeHub | undefined): void {
  app.openapi(websocketRoute, (c) => {
    if (hub === undefined) return errorResponse(c, 503, "unavailable", "realtime is not running");
    // Deno's own 101 response (or the hub's JSON error) goes out as it is.
    return hub.upgrade(c.req.raw);
  });
  app.openapi(metricsRoute, (c) =>
    c.text(hub?.renderMetrics() ?? "", 200, {
      "content-type": "text/plain; version=0.0.4; charset=utf-8",
    }));
}
