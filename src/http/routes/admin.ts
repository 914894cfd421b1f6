/**
 * @module `POST /admin/checkpoint`: asks BKG-DB for a checkpoint now (what `bkg checkpoint`
 * calls). Needs the superuser (HTTP Basic) or a service_role token.
 */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { type Database, formatLsn } from "../../../db/mod.ts";
import { type AuthContext, requireAdmin } from "../auth.ts";
import { errorSchema, HttpError } from "../errors.ts";

/** What the admin routes need. */
export interface AdminRoutesContext {
  auth: AuthContext;
  /** The database; without one, the route answers 503. */
  db?: Database;
}

const checkpointSchema = z.object({
  lsn: z.string().openapi({
    example: "0/16B3748",
    description: "the checkpoint's redo LSN: recovery replays the WAL from here",
  }),
  bytes: z.number().int().openapi({ example: 1048576, description: "size of the checkpoint file" }),
  duration_ms: z.number().openapi({ example: 12.5 }),
}).openapi("Checkpoint");

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

const route = createRoute({
  method: "post",
  path: "/admin/checkpoint",
  tags: ["admin"],
  summary: "Write a BKG-DB checkpoint now and remove the WAL it makes obsolete",
  security: [{ basicAuth: [] }, { bearerAuth: [] }],
  responses: {
    200: json(checkpointSchema, "The checkpoint is durable"),
    401: json(errorSchema, "No or bad credentials"),
    403: json(errorSchema, "Not the superuser or a service_role token"),
    503: json(errorSchema, "The database is not running on this server"),
  },
});

/** Adds `POST /admin/checkpoint`. */
export function addAdminRoutes(app: OpenAPIHono, ctx: AdminRoutesContext): void {
  app.openapi(route, async (c) => {
    await requireAdmin(c, ctx.auth);
    if (ctx.db === undefined) {
      throw new HttpError(503, "unavailable", "the database is not running on this server");
    }
    const info = await ctx.db.checkpoint();
    return c.json({
      lsn: formatLsn(info.lsn),
      bytes: info.bytes,
      duration_ms: Math.round(info.durationMs * 100) / 100,
    }, 200);
  });
}
