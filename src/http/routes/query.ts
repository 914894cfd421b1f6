/**
 * @module `POST /query`: SQL over HTTP as the caller's role under row-level security. One
 * statement (`sql`, `params`) or several in one transaction (`statements`); answers with the
 * command, the count, typed columns and rows as JSON (see docs/api.md for the value mapping).
 */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Database } from "../../../db/mod.ts";
import { DbError } from "../../../db/mod.ts";
import { type AuthContext, principalOf } from "../auth.ts";
import { errorSchema, HttpError, httpErrorOfDb } from "../errors.ts";
import {
  BatchError,
  identityOf,
  SqlSession,
  type SqlSessionOptions,
  type StatementOutput,
} from "../sql_session.ts";
import { bearerOrBasic, bodyLimitFor, json } from "./common.ts";

/** What `/query` needs. */
export interface QueryRoutesContext {
  auth: AuthContext;
  db?: Database;
  limits: SqlSessionOptions & { maxBodyBytes: number };
}

const params = z.array(z.any()).max(65_535).optional().openapi({
  description: "values for $1, $2, …: JSON strings, numbers, booleans, null, arrays " +
    "(an array literal for an array parameter), objects (JSON text)",
  example: [42],
});

const statementSchema = z.object({
  sql: z.string().min(1, "must not be empty").openapi({
    example: "select * from todos where id = $1",
  }),
  params,
}).openapi("Statement");

const querySchema = z.object({
  sql: z.string().min(1, "must not be empty").optional().openapi({
    description: "one statement (several are error 42601)",
    example: "select 1 as one",
  }),
  params,
  statements: z.array(statementSchema).min(1).max(1000).optional().openapi({
    description: "several statements run in one transaction instead of `sql`",
  }),
  rowMode: z.enum(["object", "array"]).optional().openapi({
    description: "rows as objects keyed by column name (default) or as arrays",
  }),
}).openapi("Query");

const resultSchema = z.object({
  command: z.string().openapi({ example: "SELECT" }),
  rowCount: z.number().int().nullable().openapi({ example: 1 }),
  columns: z.array(z.object({
    name: z.string(),
    type: z.string().openapi({ example: "int4" }),
  })),
  rows: z.array(z.union([z.array(z.any()), z.record(z.string(), z.any())])),
}).openapi("QueryResult");

const answerSchema = z.union([
  resultSchema,
  z.object({ results: z.array(resultSchema) }).openapi("QueryResults"),
]);

const route = createRoute({
  method: "post",
  path: "/query",
  tags: ["sql"],
  summary: "Run SQL as the caller's role (JWT claims set, row-level security applied)",
  description: "Bearer JWT: its role and claims; HTTP Basic postgres: the superuser; no " +
    "credentials: the role anon. Errors carry the SQLSTATE as `code`.",
  security: bearerOrBasic,
  request: { body: { content: { "application/json": { schema: querySchema } } } },
  responses: {
    200: json(answerSchema, "The statement's result, or `results` for `statements`"),
    400: json(errorSchema, "Invalid request or SQL error (42601, 22xxx, …)"),
    401: json(errorSchema, "A bad token or password"),
    403: json(errorSchema, "Permission denied (42501)"),
    404: json(errorSchema, "A relation or database that does not exist (42P01)"),
    409: json(errorSchema, "A constraint, serialization failure or deadlock (23xxx, 40xxx)"),
    413: json(errorSchema, "The body is larger than --query-max-body-kb"),
    503: json(errorSchema, "The database is not running, or a timeout or cancel (57014)"),
  },
});

/** Adds `POST /query`. */
export function addQueryRoutes(app: OpenAPIHono, ctx: QueryRoutesContext): void {
  app.use("/query", bodyLimitFor(ctx.limits.maxBodyBytes));
  app.openapi(route, async (c) => {
    const principal = await principalOf(c, ctx.auth);
    const body = c.req.valid("json");
    if ((body.sql === undefined) === (body.statements === undefined)) {
      throw new HttpError(400, "invalid_request", "give either sql (with params) or statements");
    }
    if (ctx.db === undefined) {
      throw new HttpError(503, "unavailable", "the database is not running on this server");
    }
    const statements = body.statements ?? [{ sql: body.sql!, params: body.params }];
    const results = await runStatements(ctx, identityOf(principal), statements, body.rowMode);
    if (body.statements !== undefined) return c.json({ results }, 200);
    return c.json(results[0]!, 200);
  });
}

async function runStatements(
  ctx: QueryRoutesContext,
  identity: ReturnType<typeof identityOf>,
  statements: { sql: string; params?: unknown[] }[],
  rowMode: "object" | "array" = "object",
): Promise<StatementOutput[]> {
  let session: SqlSession;
  try {
    session = await SqlSession.open(ctx.db!, identity, ctx.limits);
  } catch (err) {
    if (err instanceof DbError) throw httpErrorOfDb(err);
    throw err;
  }
  try {
    return await session.runAll(statements, rowMode);
  } catch (err) {
    if (err instanceof BatchError) throw httpErrorOfDb(err.cause, err.index);
    throw err;
  } finally {
    await session.close();
  }
}
