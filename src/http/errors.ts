/**
 * @module HTTP errors: the JSON body `{"error": {"code", "message", "sqlstate"?}}` and the one
 * mapping from SQLSTATE classes to statuses (CONVENTIONS.md, "Errors").
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "@hono/zod-openapi";
import type { DbError } from "../../db/mod.ts";

/** The error body every route answers with. */
export const errorSchema = z.object({
  error: z.object({
    code: z.string().openapi({ example: "invalid_request" }),
    message: z.string(),
    sqlstate: z.string().optional(),
    detail: z.string().optional(),
    hint: z.string().optional(),
    position: z.number().int().optional().openapi({
      description: "1-based character position in the statement text",
    }),
    statement: z.number().int().optional().openapi({
      description: "index of the failing statement in a `statements` batch",
    }),
  }),
}).openapi("Error");

/** An error a route throws on purpose; the app's error handler renders it. */
export class HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly fields: Omit<ErrorExtra, "headers"> = {},
  ) {
    super(message);
    this.name = "HttpError";
  }
}

/**
 * The HTTP error of an engine error: its SQLSTATE as the code, the status by class, and
 * PostgreSQL's detail, hint and position; `statement` is the index in a batch.
 *
 * @example
 * throw httpErrorOfDb(new DbError(SqlState.undefinedTable, 'relation "x" does not exist')); // 404
 */
export function httpErrorOfDb(err: DbError, statement?: number): HttpError {
  return new HttpError(statusForSqlState(err.code), err.code, err.message, {}, {
    sqlstate: err.code,
    detail: err.fields.detail,
    hint: err.fields.hint,
    position: err.fields.position,
    statement,
  });
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
  extra: ErrorExtra = {},
): Response {
  for (const [name, value] of Object.entries(extra.headers ?? {})) c.header(name, value);
  const { headers: _headers, ...fields } = extra;
  const body = { error: { code, message, ...dropUndefined(fields) } };
  return c.json(body, status);
}

/** The optional parts of an error body. */
export interface ErrorExtra {
  sqlstate?: string;
  detail?: string;
  hint?: string;
  position?: number;
  statement?: number;
  headers?: Record<string, string>;
}

function dropUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== ""));
}
