/**
 * @module The setup every new BKG-DB database gets, as Supabase's images do it: the API roles
 * (anon, authenticated, service_role, bootstrapped in bootstrap.ts) may use schema public, and
 * tables, sequences and functions that the superuser creates there are granted to them by
 * default privileges, so the HTTP door (running as anon or authenticated) reaches them and
 * row-level security decides which rows. The same statements run on the PostgreSQL oracle of
 * tests/compat, so catalogs (\dp, \dn+) compare equal. A plain array of statements: the
 * row-level-security part (schema auth and its functions) is appended here too.
 */

/** Statements applied, as the superuser, once to every new database. */
export const SUPABASE_BOOTSTRAP_SQL: readonly string[] = [
  "GRANT USAGE ON SCHEMA public TO anon, authenticated, service_role",
  "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO anon, authenticated, service_role",
  "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON SEQUENCES TO anon, authenticated, service_role",
  "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON FUNCTIONS TO anon, authenticated, service_role",
];

/** Bumped when SUPABASE_BOOTSTRAP_SQL changes in a way existing databases should not re-run. */
export const supabaseSetupVersion = 1;

/**
 * Supabase's auth helpers for row-level security, as its images define them: they read the JWT
 * claims the doors put in the settings `request.jwt.claims` (JSON) or, for older clients,
 * `request.jwt.claim.sub` / `request.jwt.claim.role`. PostgreSQL runs this text as it is (tests);
 * BKG-DB, without SQL-language functions, inlines each body where the function is called
 * (db/analyze/sql_functions.ts) and lists them in pg_proc under schema auth.
 */
export const SUPABASE_AUTH_SQL: readonly string[] = [
  `CREATE OR REPLACE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS $$
  SELECT coalesce(
    nullif(current_setting('request.jwt.claim.sub', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
  )::uuid
$$`,
  `CREATE OR REPLACE FUNCTION auth.role() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT coalesce(
    nullif(current_setting('request.jwt.claim.role', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
  )::text
$$`,
  `CREATE OR REPLACE FUNCTION auth.jwt() RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT coalesce(
    nullif(current_setting('request.jwt.claim', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')
  )::jsonb
$$`,
];
