/**
 * @module Building blocks of the scenario lists: the tables most scenarios share (docs with five
 * rows of three owners and two tenants; Supabase-style items keyed by user id and tenant), the
 * shared actors, and the `step` shorthand. `{schema}` in any statement is the scenario's schema.
 */
import { type Actor, as, uid } from "./prelude.ts";
import type { Scenario, Step } from "./scenario.ts";

export const alice = as("r_alice");
export const bob = as("r_bob");
export const carol = as("r_carol");
export const owner = as("r_owner");
export const bypass = as("r_bypass");
export const dave = as("r_dave");

/** A step: SQL, PostgreSQL's expected row count or SQLSTATE, and its actor. */
export function step(sql: string, expect?: number | string, actor?: Actor): Step {
  return {
    sql,
    ...(expect === undefined ? {} : { expect }),
    ...(actor === undefined ? {} : { as: actor }),
  };
}

/** A scenario list builder for one group. */
export function group(name: string): {
  list: Scenario[];
  add(title: string, setup: string[], steps: Step[], actor?: Actor): void;
} {
  const list: Scenario[] = [];
  return {
    list,
    add(title, setup, steps, actor) {
      list.push({ group: name, name: title, setup, steps, ...(actor ? { as: actor } : {}) });
    },
  };
}

/** Options of the `docs` table. */
export interface DocsOptions {
  /** The GRANT's privilege list to PUBLIC; null grants nothing. */
  grant?: string | null;
  /** ENABLE ROW LEVEL SECURITY (default true). */
  rls?: boolean;
  force?: boolean;
  /** ALTER TABLE … OWNER TO. */
  owner?: string;
}

/**
 * docs(id, owner, tenant, body, published): ids 1–2 r_alice (tenant 1; 1 published), 3–4 r_bob
 * (3 tenant 2 published; 4 tenant 1), 5 r_carol (tenant 2).
 */
export function docs(o: DocsOptions = {}): string[] {
  const out = [
    `CREATE TABLE docs (id int PRIMARY KEY, owner text NOT NULL, tenant int NOT NULL,
      body text, published bool NOT NULL DEFAULT false)`,
    `INSERT INTO docs VALUES (1, 'r_alice', 1, 'a1', true), (2, 'r_alice', 1, 'a2', false),
      (3, 'r_bob', 2, 'b1', true), (4, 'r_bob', 1, 'b2', false), (5, 'r_carol', 2, 'c1', false)`,
  ];
  const grant = o.grant === undefined ? "SELECT, INSERT, UPDATE, DELETE" : o.grant;
  if (grant !== null) out.push(`GRANT ${grant} ON docs TO PUBLIC`);
  if (o.owner !== undefined) out.push(`ALTER TABLE docs OWNER TO ${o.owner}`);
  if (o.rls ?? true) out.push("ALTER TABLE docs ENABLE ROW LEVEL SECURITY");
  if (o.force) out.push("ALTER TABLE docs FORCE ROW LEVEL SECURITY");
  return out;
}

/** comments(id, doc_id, author, body) with RLS `author = current_user`, readable by PUBLIC. */
export function comments(policy = "author = current_user"): string[] {
  return [
    "CREATE TABLE comments (id int PRIMARY KEY, doc_id int, author text, body text)",
    `INSERT INTO comments VALUES (1, 1, 'r_bob', 'c1'), (2, 1, 'r_alice', 'c2'),
      (3, 3, 'r_alice', 'c3'), (4, 2, 'r_bob', 'c4')`,
    "GRANT SELECT, INSERT, UPDATE, DELETE ON comments TO PUBLIC",
    "ALTER TABLE comments ENABLE ROW LEVEL SECURITY",
    `CREATE POLICY comments_p ON comments USING (${policy})`,
  ];
}

/** members(tenant, member): r_alice in tenant 1, r_bob in tenants 1 and 2; no RLS. */
export function members(grant = true): string[] {
  return [
    "CREATE TABLE members (tenant int, member text)",
    "INSERT INTO members VALUES (1, 'r_alice'), (2, 'r_bob'), (1, 'r_bob')",
    ...(grant ? ["GRANT SELECT ON members TO PUBLIC"] : []),
  ];
}

/**
 * items(id, user_id uuid, tenant_id, title, is_public): ids 1–2 alice (tenant 1; 2 public),
 * 3–4 bob (3 tenant 2; 4 tenant 1 public), 5 carol (tenant 2); granted to Supabase's roles.
 */
export function items(rls = true): string[] {
  return [
    `CREATE TABLE items (id int PRIMARY KEY, user_id uuid, tenant_id int, title text,
      is_public bool NOT NULL DEFAULT false)`,
    `INSERT INTO items VALUES (1, '${uid.alice}', 1, 'a-1', false),
      (2, '${uid.alice}', 1, 'a-2', true), (3, '${uid.bob}', 2, 'b-1', false),
      (4, '${uid.bob}', 1, 'b-2', true), (5, '${uid.carol}', 2, 'c-1', false)`,
    "GRANT SELECT, INSERT, UPDATE, DELETE ON items TO anon, authenticated, service_role",
    ...(rls ? ["ALTER TABLE items ENABLE ROW LEVEL SECURITY"] : []),
  ];
}

/** `CREATE POLICY name ON docs rest`. */
export function pol(name: string, rest: string, table = "docs"): string {
  return `CREATE POLICY ${name} ON ${table} ${rest}`;
}
