/**
 * @module `/policy`: row-level security policies for administrators (superuser or service_role).
 * List and read them (pg_policies), create them (the generated CREATE POLICY is returned, with
 * identifiers quoted and the USING / WITH CHECK text parsed by the engine as one expression),
 * change them (ALTER POLICY: name, roles, using, check), drop them, and `POST /policy/check`:
 * run an operation as a role with given claims in a transaction that is rolled back, and report
 * whether it is allowed, which policies applied, and the rows it could see.
 */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { type Database, DbError } from "../../../db/mod.ts";
import { parseExpr, quoteIdent } from "../../../db/sql/mod.ts";
import { type JwtClaims, jwtRoles } from "../../auth/mod.ts";
import { type AuthContext, requireAdmin } from "../auth.ts";
import { errorSchema, HttpError, httpErrorOfDb } from "../errors.ts";
import type { Json } from "../json_values.ts";
import { type SqlIdentity, SqlSession, type SqlSessionOptions } from "../sql_session.ts";
import { bearerOrBasic, bodyLimitFor, json } from "./common.ts";
import { policiesOf, policySchema } from "./schema.ts";

/** What `/policy` needs. */
export interface PolicyRoutesContext {
  auth: AuthContext;
  db?: Database;
  limits: SqlSessionOptions & { maxBodyBytes: number };
}

/** Rows `/policy/check` returns at most. */
const checkRowsMax = 100;

const commands = ["ALL", "SELECT", "INSERT", "UPDATE", "DELETE"] as const;
const name = z.string().min(1).max(63);
const expr = z.string().min(1).max(65_536);

const createBody = z.object({
  schema: name.default("public"),
  table: name,
  name,
  command: z.enum(commands).default("ALL"),
  permissive: z.boolean().default(true),
  roles: z.array(name).min(1).default(["public"]).openapi({
    description: "role names; `public` means every role",
  }),
  using: expr.optional().openapi({ example: "user_id = auth.uid()" }),
  check: expr.optional().openapi({ example: "user_id = auth.uid()" }),
}).openapi("PolicyCreate");

const patchBody = z.object({
  name: name.optional(),
  roles: z.array(name).min(1).optional(),
  using: expr.optional(),
  check: expr.optional(),
}).openapi("PolicyChange");

const checkBody = z.object({
  schema: name.default("public"),
  table: name,
  operation: z.enum(["select", "insert", "update", "delete"]),
  claims: z.record(z.string(), z.any()).optional().openapi({
    description: "JWT claims to run with; `role` defaults to authenticated",
    example: { role: "authenticated", sub: "8d0fd2b3-9ca7-4d9e-a95f-9e13dded323e" },
  }),
  token: z.string().optional().openapi({ description: "a JWT whose claims to run with" }),
  row: z.record(z.string(), z.any()).optional().openapi({
    description: "insert: the row; update: the new values (SET)",
  }),
  match: z.record(z.string(), z.any()).optional().openapi({
    description: "update and delete: only rows whose columns equal these values",
  }),
}).openapi("PolicyCheck");

const checkAnswer = z.object({
  allowed: z.boolean(),
  rls: z.enum(["enforced", "disabled", "bypassed"]),
  policies: z.array(z.string()),
  rowCount: z.number().int().nullable(),
  rows: z.array(z.record(z.string(), z.any())).optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
}).openapi("PolicyCheckResult");

const keyParams = z.object({
  schema: z.string().openapi({ param: { name: "schema", in: "path" }, example: "public" }),
  table: z.string().openapi({ param: { name: "table", in: "path" }, example: "todos" }),
  name: z.string().openapi({ param: { name: "name", in: "path" }, example: "own rows" }),
});

const errors = {
  400: json(errorSchema, "Invalid request or SQL (42601; 42710: the policy exists; …)"),
  401: json(errorSchema, "No or bad credentials"),
  403: json(errorSchema, "Not the superuser or a service_role token"),
  503: json(errorSchema, "The database is not running on this server"),
};
const written = z.object({ policy: policySchema, sql: z.array(z.string()) });

const routes = {
  list: createRoute({
    method: "get",
    path: "/policy",
    tags: ["policy"],
    summary: "List policies (`?table=` filters by table name, `?schema=` by schema)",
    security: bearerOrBasic,
    request: { query: z.object({ table: z.string().optional(), schema: z.string().optional() }) },
    responses: { 200: json(z.object({ policies: z.array(policySchema) }), "Policies"), ...errors },
  }),
  create: createRoute({
    method: "post",
    path: "/policy",
    tags: ["policy"],
    summary: "Create a policy; answers it and the CREATE POLICY that ran",
    security: bearerOrBasic,
    request: { body: { content: { "application/json": { schema: createBody } } } },
    responses: {
      201: json(written, "Created"),
      404: json(errorSchema, "No such table (42P01)"),
      ...errors,
    },
  }),
  check: createRoute({
    method: "post",
    path: "/policy/check",
    tags: ["policy"],
    summary: "Try an operation as given claims (rolled back): allowed, policies, visible rows",
    security: bearerOrBasic,
    request: { body: { content: { "application/json": { schema: checkBody } } } },
    responses: {
      200: json(checkAnswer, "What the operation did before it was rolled back"),
      404: json(errorSchema, "No such table"),
      ...errors,
    },
  }),
  get: createRoute({
    method: "get",
    path: "/policy/{schema}/{table}/{name}",
    tags: ["policy"],
    summary: "One policy",
    security: bearerOrBasic,
    request: { params: keyParams },
    responses: {
      200: json(policySchema, "The policy"),
      404: json(errorSchema, "No such policy"),
      ...errors,
    },
  }),
  patch: createRoute({
    method: "patch",
    path: "/policy/{schema}/{table}/{name}",
    tags: ["policy"],
    summary: "Change a policy's name, roles, USING or WITH CHECK (ALTER POLICY)",
    security: bearerOrBasic,
    request: {
      params: keyParams,
      body: { content: { "application/json": { schema: patchBody } } },
    },
    responses: {
      200: json(written, "Changed"),
      404: json(errorSchema, "No such policy"),
      ...errors,
    },
  }),
  remove: createRoute({
    method: "delete",
    path: "/policy/{schema}/{table}/{name}",
    tags: ["policy"],
    summary: "Drop a policy",
    security: bearerOrBasic,
    request: { params: keyParams },
    responses: {
      204: { description: "Dropped" },
      404: json(errorSchema, "No such policy"),
      ...errors,
    },
  }),
};

/** Adds the `/policy` routes. */
export function addPolicyRoutes(app: OpenAPIHono, ctx: PolicyRoutesContext): void {
  const admin = async <T>(fn: (s: SqlSession) => Promise<T>): Promise<T> => {
    if (ctx.db === undefined) {
      throw new HttpError(503, "unavailable", "the database is not running on this server");
    }
    return await withSession(ctx, { user: "postgres" }, fn);
  };
  const one = async (s: SqlSession, key: Key) => {
    const found = (await policiesOf(s, key)).find((p) => p.name === key.name);
    if (found === undefined) {
      throw new HttpError(404, "42704", policyMissing(key), {}, { sqlstate: "42704" });
    }
    return found;
  };

  app.use("/policy", bodyLimitFor(ctx.limits.maxBodyBytes));
  app.use("/policy/*", bodyLimitFor(ctx.limits.maxBodyBytes));
  app.openapi(routes.list, async (c) => {
    await requireAdmin(c, ctx.auth);
    const { table, schema } = c.req.valid("query");
    const policies = await admin((s) => policiesOf(s, { table, schema }));
    return c.json({ policies }, 200);
  });
  app.openapi(routes.create, async (c) => {
    await requireAdmin(c, ctx.auth);
    const b = c.req.valid("json");
    const sql = `CREATE POLICY ${quoteIdent(b.name)} ON ${qualified(b)}` +
      ` AS ${b.permissive ? "PERMISSIVE" : "RESTRICTIVE"} FOR ${b.command}` +
      ` TO ${roleList(b.roles)}${clause("USING", b.using)}${clause("WITH CHECK", b.check)}`;
    const policy = await admin(async (s) => {
      await s.query(sql);
      await s.commit();
      return await one(s, { schema: b.schema, table: b.table, name: b.name });
    });
    return c.json({ policy, sql: [sql] }, 201);
  });
  app.openapi(routes.check, async (c) => {
    await requireAdmin(c, ctx.auth);
    const b = c.req.valid("json");
    const identity = await checkIdentity(ctx.auth, b.claims, b.token);
    const meta = await admin((s) => tableFacts(s, b, identity.user));
    const trial = await withSession(ctx, identity, (s) => tryOperation(s, b, meta.columns));
    const applied = meta.rls === "enforced" ? meta.policies : [];
    const permissive = meta.rls !== "enforced" || applied.some((p) => p.permissive);
    return c.json({
      allowed: trial.error === undefined && permissive,
      rls: meta.rls,
      policies: applied.map((p) => p.name),
      rowCount: trial.rowCount,
      ...(trial.rows ? { rows: trial.rows } : {}),
      ...(trial.error ? { error: trial.error } : {}),
    }, 200);
  });
  app.openapi(routes.get, async (c) => {
    await requireAdmin(c, ctx.auth);
    const key = c.req.valid("param");
    return c.json(await admin((s) => one(s, key)), 200);
  });
  app.openapi(routes.patch, async (c) => {
    await requireAdmin(c, ctx.auth);
    const key = c.req.valid("param");
    const b = c.req.valid("json");
    const on = `ON ${qualified(key)}`;
    const sql: string[] = [];
    const changes = (b.roles ? ` TO ${roleList(b.roles)}` : "") + clause("USING", b.using) +
      clause("WITH CHECK", b.check);
    if (changes !== "") sql.push(`ALTER POLICY ${quoteIdent(key.name)} ${on}${changes}`);
    if (b.name !== undefined && b.name !== key.name) {
      sql.push(`ALTER POLICY ${quoteIdent(key.name)} ${on} RENAME TO ${quoteIdent(b.name)}`);
    }
    if (sql.length === 0) throw new HttpError(400, "invalid_request", "nothing to change");
    const policy = await admin(async (s) => {
      await one(s, key);
      await s.begin();
      for (const statement of sql) await s.query(statement);
      await s.commit();
      return await one(s, { ...key, name: b.name ?? key.name });
    });
    return c.json({ policy, sql }, 200);
  });
  app.openapi(routes.remove, async (c) => {
    await requireAdmin(c, ctx.auth);
    const key = c.req.valid("param");
    await admin(async (s) => {
      await one(s, key);
      await s.query(`DROP POLICY ${quoteIdent(key.name)} ON ${qualified(key)}`);
      await s.commit();
    });
    return c.body(null, 204);
  });
}

type Key = { schema: string; table: string; name: string };

function policyMissing(k: Key): string {
  return `policy "${k.name}" for table "${k.table}" does not exist`;
}

function qualified(k: { schema: string; table: string }): string {
  return `${quoteIdent(k.schema)}.${quoteIdent(k.table)}`;
}

/** `public` is the keyword PUBLIC; every other role is an identifier. */
function roleList(roles: readonly string[]): string {
  return roles.map((r) => (r.toLowerCase() === "public" ? "PUBLIC" : quoteIdent(r))).join(", ");
}

/** ` USING (text)` after checking that `text` is exactly one expression (42601 otherwise). */
function clause(keyword: string, text: string | undefined): string {
  if (text === undefined) return "";
  parseExpr(text);
  return ` ${keyword} (${text})`;
}

/** Runs `fn` on a session as `identity`, mapping engine errors to HTTP ones. */
async function withSession<T>(
  ctx: PolicyRoutesContext,
  identity: SqlIdentity,
  fn: (s: SqlSession) => Promise<T>,
): Promise<T> {
  let s: SqlSession | undefined;
  try {
    s = await SqlSession.open(ctx.db!, identity, ctx.limits);
    return await fn(s);
  } catch (err) {
    throw err instanceof DbError ? httpErrorOfDb(err) : err;
  } finally {
    await s?.close();
  }
}

/** The role and claims a check runs with: a verified token, or claims as given. */
async function checkIdentity(
  auth: AuthContext,
  claims: Record<string, unknown> | undefined,
  token: string | undefined,
): Promise<SqlIdentity> {
  if ((claims === undefined) === (token === undefined)) {
    throw new HttpError(400, "invalid_request", "give either claims or token");
  }
  let c: Record<string, unknown>;
  if (token !== undefined) {
    try {
      c = await auth.verifier.verify(token) as JwtClaims;
    } catch (err) {
      throw new HttpError(400, "invalid_request", `token: ${(err as Error).message}`);
    }
  } else c = { role: "authenticated", ...claims };
  const role = c.role;
  if (typeof role !== "string" || !(jwtRoles as readonly string[]).includes(role)) {
    throw new HttpError(
      400,
      "invalid_request",
      `claims: role must be one of ${jwtRoles.join(", ")}`,
    );
  }
  return { user: role, claims: c };
}

interface TableFacts {
  rls: "enforced" | "disabled" | "bypassed";
  policies: { name: string; permissive: boolean }[];
  columns: string[];
}

/** Whether RLS applies to `role` on the table, the policies for the operation, the columns. */
async function tableFacts(
  s: SqlSession,
  b: { schema: string; table: string; operation: string },
  role: string,
): Promise<TableFacts> {
  const [rel] = s.objects(
    await s.query(
      `select c.relrowsecurity, c.relforcerowsecurity, r.rolsuper or r.rolbypassrls as bypass,
         c.relowner = r.oid as owner,
         array(select a.attname::text from pg_attribute a
           where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped order by a.attnum) as cols
       from pg_class c join pg_namespace n on n.oid = c.relnamespace, pg_roles r
       where n.nspname = $1 and c.relname = $2 and c.relkind in ('r', 'p', 'v') and r.rolname = $3`,
      [b.schema, b.table, role],
    ),
  );
  if (rel === undefined) {
    throw new HttpError(404, "42P01", `relation "${b.schema}.${b.table}" does not exist`, {}, {
      sqlstate: "42P01",
    });
  }
  // The policies PostgreSQL would apply: this command (or ALL), to PUBLIC or a role whose
  // privileges the checked role has.
  const policies = s.objects(
    await s.query(
      `select policyname as name, permissive = 'PERMISSIVE' as permissive from pg_policies
       where schemaname = $1 and tablename = $2 and cmd in ('ALL', $3)
         and exists (select 1 from unnest(roles) r
           where r = 'public' or pg_has_role($4::name, r::name, 'USAGE'))
       order by policyname`,
      [b.schema, b.table, b.operation.toUpperCase(), role],
    ),
  ).map((p) => ({ name: String(p.name), permissive: p.permissive === true }));
  const rls = rel.relrowsecurity !== true
    ? "disabled"
    : rel.bypass === true || (rel.owner === true && rel.relforcerowsecurity !== true)
    ? "bypassed"
    : "enforced";
  return { rls, policies, columns: (rel.cols as string[] | null) ?? [] };
}

interface Trial {
  rowCount: number | null;
  rows?: Record<string, Json>[];
  error?: { code: string; message: string };
}

/** Runs the operation inside a transaction that is always rolled back. */
async function tryOperation(
  s: SqlSession,
  b: z.infer<typeof checkBody>,
  columns: string[],
): Promise<Trial> {
  const target = qualified(b);
  const params: unknown[] = [];
  const param = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const where = Object.entries(b.match ?? {}).map(([k, v]) => `${quoteIdent(k)} = ${param(v)}`);
  const whereSql = where.length > 0 ? ` WHERE ${where.join(" AND ")}` : "";
  let sql: string;
  switch (b.operation) {
    case "select":
      sql = `SELECT * FROM ${target}${whereSql} LIMIT ${checkRowsMax}`;
      break;
    case "insert": {
      const row = Object.entries(b.row ?? {});
      if (row.length === 0) throw new HttpError(400, "invalid_request", "insert needs a row");
      sql = `INSERT INTO ${target} (${row.map(([k]) => quoteIdent(k)).join(", ")}) VALUES (${
        row.map(([, v]) => param(v)).join(", ")
      })`;
      break;
    }
    case "update": {
      const row = Object.entries(b.row ?? {});
      const first = columns[0];
      const sets = row.length > 0
        ? row.map(([k, v]) => `${quoteIdent(k)} = ${param(v)}`)
        : first === undefined
        ? []
        : [`${quoteIdent(first)} = ${quoteIdent(first)}`];
      if (sets.length === 0) {
        throw new HttpError(400, "invalid_request", "the table has no columns");
      }
      // The WHERE's parameters were numbered first; SET's follow them.
      sql = `UPDATE ${target} SET ${sets.join(", ")}${whereSql}`;
      break;
    }
    case "delete":
      sql = `DELETE FROM ${target}${whereSql}`;
      break;
  }
  await s.begin();
  try {
    const r = await s.query(sql, params);
    const out = s.encode(r, "object");
    if (b.operation === "select") {
      return { rowCount: out.rows.length, rows: out.rows as Record<string, Json>[] };
    }
    return { rowCount: out.rowCount };
  } catch (err) {
    if (!(err instanceof DbError)) throw err;
    return { rowCount: null, error: { code: err.code, message: err.message } };
  } finally {
    await s.rollback();
  }
}
