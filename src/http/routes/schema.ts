/**
 * @module `GET /schema` and `GET /schema/{schema}/{table}`: schemas, tables and views with their
 * columns (types, defaults), constraints (keys), indexes and policies, read through SQL on
 * pg_catalog as the caller's role, so a token sees only the relations it has a privilege on.
 */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { type Database, DbError } from "../../../db/mod.ts";
import { type AuthContext, principalOf } from "../auth.ts";
import { errorSchema, HttpError, httpErrorOfDb } from "../errors.ts";
import type { Json } from "../json_values.ts";
import { identityOf, SqlSession, type SqlSessionOptions } from "../sql_session.ts";
import { bearerOrBasic, json } from "./common.ts";

/** What `/schema` needs. */
export interface SchemaRoutesContext {
  auth: AuthContext;
  db?: Database;
  limits: SqlSessionOptions;
}

const policySchema = z.object({
  schema: z.string(),
  table: z.string(),
  name: z.string(),
  command: z.enum(["ALL", "SELECT", "INSERT", "UPDATE", "DELETE"]),
  permissive: z.boolean(),
  roles: z.array(z.string()),
  using: z.string().nullable(),
  check: z.string().nullable(),
}).openapi("Policy");

const tableSchema = z.object({
  schema: z.string(),
  name: z.string(),
  kind: z.enum(["table", "view", "materialized_view", "partitioned_table", "foreign_table"]),
  rls_enabled: z.boolean(),
  rls_forced: z.boolean(),
  columns: z.array(z.object({
    name: z.string(),
    type: z.string().openapi({ example: "integer", description: "format_type()" }),
    nullable: z.boolean(),
    default: z.string().nullable(),
    position: z.number().int(),
  })),
  primary_key: z.array(z.string()),
  constraints: z.array(z.object({
    name: z.string(),
    type: z.enum(["primary_key", "unique", "foreign_key", "check", "exclusion", "trigger"]),
    definition: z.string(),
  })),
  indexes: z.array(z.object({
    name: z.string(),
    unique: z.boolean(),
    primary: z.boolean(),
    definition: z.string(),
  })),
  policies: z.array(policySchema),
}).openapi("Table");

const overviewSchema = z.object({
  schemas: z.array(z.object({ name: z.string(), tables: z.array(tableSchema) })),
}).openapi("Schema");

const tableParams = z.object({
  schema: z.string().openapi({ param: { name: "schema", in: "path" }, example: "public" }),
  table: z.string().openapi({ param: { name: "table", in: "path" }, example: "todos" }),
});

const errors = {
  401: json(errorSchema, "A bad token or password"),
  503: json(errorSchema, "The database is not running on this server"),
};

const routes = {
  all: createRoute({
    method: "get",
    path: "/schema",
    tags: ["schema"],
    summary: "Schemas, tables, columns, keys, indexes and policies the caller may see",
    security: bearerOrBasic,
    responses: { 200: json(overviewSchema, "What the caller's role can see"), ...errors },
  }),
  one: createRoute({
    method: "get",
    path: "/schema/{schema}/{table}",
    tags: ["schema"],
    summary: "One table or view",
    security: bearerOrBasic,
    request: { params: tableParams },
    responses: {
      200: json(tableSchema, "The table"),
      404: json(errorSchema, "No such relation, or not visible to the caller"),
      ...errors,
    },
  }),
};

/** Adds `GET /schema` and `GET /schema/{schema}/{table}`. */
export function addSchemaRoutes(app: OpenAPIHono, ctx: SchemaRoutesContext): void {
  app.openapi(routes.all, async (c) => {
    const schemas = await asCaller(ctx, c, async (s) => {
      const tables = await loadTables(s, undefined);
      // Every schema the role may use, even an empty one, and those its tables are in.
      const bySchema = new Map<string, Table[]>();
      for (const n of await rows(s, schemasSql, [])) bySchema.set(String(n.nspname), []);
      for (const t of tables) bySchema.set(t.schema, [...bySchema.get(t.schema) ?? [], t]);
      return [...bySchema].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)
        .map(([name, list]) => ({ name, tables: list }));
    });
    return c.json({ schemas }, 200);
  });
  app.openapi(routes.one, async (c) => {
    const { schema, table } = c.req.valid("param");
    const [found] = await asCaller(ctx, c, (s) => loadTables(s, { schema, table }));
    if (found === undefined) {
      throw new HttpError(404, "42P01", `relation "${schema}.${table}" does not exist`, {}, {
        sqlstate: "42P01",
      });
    }
    return c.json(found, 200);
  });
}

/** A table as /schema answers it. */
export type Table = z.infer<typeof tableSchema>;

const kinds: Record<string, Table["kind"]> = {
  r: "table",
  v: "view",
  m: "materialized_view",
  p: "partitioned_table",
  f: "foreign_table",
};

const constraintTypes: Record<string, Table["constraints"][number]["type"]> = {
  p: "primary_key",
  u: "unique",
  f: "foreign_key",
  c: "check",
  x: "exclusion",
  t: "trigger",
};

/** Runs `fn` on a session as the request's caller. */
async function asCaller<T>(
  ctx: SchemaRoutesContext,
  c: Parameters<typeof principalOf>[0],
  fn: (s: SqlSession) => Promise<T>,
): Promise<T> {
  const principal = await principalOf(c, ctx.auth);
  if (ctx.db === undefined) {
    throw new HttpError(503, "unavailable", "the database is not running on this server");
  }
  let session: SqlSession;
  try {
    session = await SqlSession.open(ctx.db, identityOf(principal), {
      ...ctx.limits,
      maxRows: Number.MAX_SAFE_INTEGER,
    });
  } catch (err) {
    throw err instanceof DbError ? httpErrorOfDb(err) : err;
  }
  try {
    return await fn(session);
  } catch (err) {
    throw err instanceof DbError ? httpErrorOfDb(err) : err;
  } finally {
    await session.close();
  }
}

/** The catalog queries; exported for /policy, which reads policies the same way. */
export async function loadTables(
  s: SqlSession,
  only: { schema: string; table: string } | undefined,
): Promise<Table[]> {
  const filter = only === undefined ? "" : "and n.nspname = $1 and c.relname = $2";
  const params = only === undefined ? [] : [only.schema, only.table];
  const rels = s.objects(
    await s.query(
      `select c.oid::int8 as oid, n.nspname, c.relname, c.relkind::text as relkind,
         c.relrowsecurity, c.relforcerowsecurity
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where c.relkind in ('r', 'v', 'm', 'p', 'f')
         and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'
         and has_table_privilege(c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
         ${filter}
       order by n.nspname, c.relname`,
      params,
    ),
  );
  if (rels.length === 0) return [];
  const tables = new Map<string, Table>();
  for (const r of rels) {
    tables.set(String(r.oid), {
      schema: String(r.nspname),
      name: String(r.relname),
      kind: kinds[String(r.relkind)] ?? "table",
      rls_enabled: r.relrowsecurity === true,
      rls_forced: r.relforcerowsecurity === true,
      columns: [],
      primary_key: [],
      constraints: [],
      indexes: [],
      policies: [],
    });
  }
  const oids = `{${[...tables.keys()].join(",")}}`;
  for (const a of await rows(s, columnsSql, [oids])) {
    tables.get(String(a.rel))?.columns.push({
      name: String(a.attname),
      type: String(a.type),
      nullable: a.attnotnull !== true,
      default: a.dflt === null ? null : String(a.dflt),
      position: Number(a.attnum),
    });
  }
  for (const k of await rows(s, constraintsSql, [oids])) {
    const t = tables.get(String(k.rel));
    if (t === undefined) continue;
    t.constraints.push({
      name: String(k.conname),
      type: constraintTypes[String(k.contype)] ?? "check",
      definition: String(k.def),
    });
    if (k.contype === "p") t.primary_key = (k.cols as string[] | null) ?? [];
  }
  for (const i of await rows(s, indexesSql, [oids])) {
    tables.get(String(i.rel))?.indexes.push({
      name: String(i.relname),
      unique: i.indisunique === true,
      primary: i.indisprimary === true,
      definition: String(i.def),
    });
  }
  for (const p of await policiesOf(s, only)) {
    for (const t of tables.values()) {
      if (t.schema === p.schema && t.name === p.table) t.policies.push(p);
    }
  }
  return [...tables.values()];
}

/** Policies from pg_policies (all, or one table's). */
export async function policiesOf(
  s: SqlSession,
  only: { schema?: string; table?: string } = {},
): Promise<z.infer<typeof policySchema>[]> {
  const found = await rows(
    s,
    `select schemaname, tablename, policyname, permissive, roles::text[] as roles, cmd, qual,
       with_check
     from pg_policies
     where ($1::text is null or schemaname = $1) and ($2::text is null or tablename = $2)
     order by schemaname, tablename, policyname`,
    [only.schema ?? null, only.table ?? null],
  );
  return found.map((p) => ({
    schema: String(p.schemaname),
    table: String(p.tablename),
    name: String(p.policyname),
    command: String(p.cmd) as z.infer<typeof policySchema>["command"],
    permissive: p.permissive === "PERMISSIVE",
    roles: (p.roles as string[] | null) ?? [],
    using: p.qual === null ? null : String(p.qual),
    check: p.with_check === null ? null : String(p.with_check),
  }));
}

/** The policy shape of the API. */
export { policySchema };

async function rows(
  s: SqlSession,
  sql: string,
  params: unknown[],
): Promise<Record<string, Json>[]> {
  return s.objects(await s.query(sql, params));
}

const schemasSql = `select nspname from pg_namespace
  where nspname not in ('pg_catalog', 'information_schema') and nspname not like 'pg\\_%'
    and has_schema_privilege(oid, 'USAGE')
  order by nspname`;

const columnsSql =
  `select a.attrelid::int8 as rel, a.attname, format_type(a.atttypid, a.atttypmod) as type,
    a.attnotnull, pg_get_expr(d.adbin, d.adrelid) as dflt, a.attnum
  from pg_attribute a left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
  where a.attrelid = any($1::oid[]) and a.attnum > 0 and not a.attisdropped
  order by a.attrelid, a.attnum`;

const constraintsSql = `select k.conrelid::int8 as rel, k.conname, k.contype::text as contype,
    pg_get_constraintdef(k.oid) as def,
    (select array_agg(a.attname::text order by a.attnum) from pg_attribute a
      where a.attrelid = k.conrelid and a.attnum = any(k.conkey)) as cols
  from pg_constraint k
  where k.conrelid = any($1::oid[])
  order by k.conrelid, k.conname`;

const indexesSql = `select x.indrelid::int8 as rel, i.relname, x.indisunique, x.indisprimary,
    pg_get_indexdef(x.indexrelid) as def
  from pg_index x join pg_class i on i.oid = x.indexrelid
  where x.indrelid = any($1::oid[])
  order by x.indrelid, i.relname`;
