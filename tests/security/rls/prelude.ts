/**
 * @module The state every scenario starts from, on both sides: Supabase's roles and `auth`
 * helpers (created on PostgreSQL only — BKG-DB bootstraps them), the shared test roles, and the
 * claims of the JWT users. Scenarios never alter these; each creates its own schema for the rest.
 */
import { bkgBootstrapSql } from "../../helpers/pg.ts";

/** Fixed user ids (JWT `sub`), so auth.uid() is the same on both sides. */
export const uid = {
  alice: "11111111-1111-4111-8111-111111111111",
  bob: "22222222-2222-4222-8222-222222222222",
  carol: "33333333-3333-4333-8333-333333333333",
} as const;

/** Supabase grants the API roles the use of schema auth, so policies may call its helpers. */
const authUsageSql = ["GRANT USAGE ON SCHEMA auth TO anon, authenticated, service_role"];

/** The statements that give PostgreSQL BKG-DB's bootstrap (tests/helpers/pg.ts) plus USAGE on auth. */
export const oracleSetupSql: readonly string[] = [...bkgBootstrapSql, ...authUsageSql];

/**
 * Roles shared by every scenario (on both sides): r_owner owns tables without being superuser;
 * r_alice, r_bob, r_carol are plain users; r_group is a group with r_carol as member; r_bypass
 * has BYPASSRLS and r_dave is a member of it (attributes are not inherited).
 */
export const sharedRolesSql = [
  "CREATE ROLE r_owner",
  "CREATE ROLE r_alice",
  "CREATE ROLE r_bob",
  "CREATE ROLE r_carol",
  "CREATE ROLE r_group",
  "CREATE ROLE r_bypass BYPASSRLS",
  "CREATE ROLE r_dave",
  "GRANT r_group TO r_carol",
  "GRANT r_bypass TO r_dave",
];

/** An actor: the role a step runs as, and the JWT claims set for it (Supabase style). */
export interface Actor {
  role: string;
  claims?: Record<string, unknown>;
}

/** The superuser the sessions log in as. */
export const superuser: Actor = { role: "postgres" };

/** A plain role without claims. */
export function as(role: string): Actor {
  return { role };
}

/** A Supabase user: role `authenticated` with `sub` and extra claims. */
export function user(name: keyof typeof uid, extra: Record<string, unknown> = {}): Actor {
  return {
    role: "authenticated",
    claims: { sub: uid[name], role: "authenticated", ...extra },
  };
}

/** Supabase's anonymous caller. */
export const anon: Actor = { role: "anon", claims: { role: "anon" } };

/** Supabase's service role (BYPASSRLS). */
export const serviceRole: Actor = { role: "service_role", claims: { role: "service_role" } };
