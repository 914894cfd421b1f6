/**
 * @module Realtime doors: `GET /realtime/v1/websocket` (Phoenix channels for
 * @supabase/realtime-js) and `GET /metrics` (Prometheus text). Without a hub (no database) the
 * websocket answers 503 and /metrics is empty.
 */
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { RealtimeHub } from "../../realtime/mod.ts";
import { errorResponse } from "../errors.ts";

/** Adds the realtime websocket and the metrics endpoint. */
export function addRealtimeRoutes(app: OpenAPIHono, hub: RealtimeHub | undefined): void {
  app.get("/realtime/v1/websocket", (c) => {
    if (hub === undefined) return errorResponse(c, 503, "unavailable", "realtime is not running");
    return hub.upgrade(c.req.raw);
  });
  app.get("/metrics", (c) =>
    c.body(hub?.metrics.render() ?? "", 200, {
      "content-type": "text/plain; version=0.0.4; charset=utf-8",
    }));
}
