/**
 * @module HTTP errors: the JSON body `{"error": {"code", "message", "sqlstate"?}}` and the one
 * mapping from SQLSTATE classes to statuses (CONVENTIONS.md, "Errors").
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "@hono/zod-openapi";

/** The error body every route answers with. */
export const errorSchema = z.object({
  error: z.object({
    code: z.string().openapi({ example: "invalid_request" }),
    message: z.string(),
    sqlstate: z.string().optional(),
  }),
}).openapi("Error");

/** An error a route throws on purpose; the app's error handler renders it. */
export class HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "HttpError";
  }
}

/** The status for a SQLSTATE, by class (28 → 401, 42501 → 403, …). */
export function statusForSqlState(sqlstate: string): ContentfulStatusCode {
  if (sqlstate === "42501") return 403;
  if (sqlstate === "42P01" || sqlstate === "3D000") return 404;
  const cls = sqlstate.slice(0, 2);
  if (cls === "28") return 401;
  if (cls === "23" || cls === "40") return 409;
  if (cls === "53" || cls === "57") return 503;
  if (cls === "XX") return 500;
  return 400;
}

/** Writes the JSON error body. */
export function errorResponse(
  c: Context,
  status: ContentfulStatusCode,
  code: string,
  message: string,
  extra: { sqlstate?: string; headers?: Record<string, string> } = {},
): Response {
  for (const [name, value] of Object.entries(extra.headers ?? {})) c.header(name, value);
  const body = {
    error: { code, message, ...(extra.sqlstate ? { sqlstate: extra.sqlstate } : {}) },
  };
  return c.json(body, status);
}
