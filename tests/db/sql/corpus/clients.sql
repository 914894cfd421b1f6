-- Queries client libraries send on their own: postgres.js's array-type fetch, node-postgres and
-- postgres.js parameterised queries, and common ORM/introspection queries. Separated by "-- @@".
-- @@
select b.oid, b.typarray
      from pg_catalog.pg_type a
      left join pg_catalog.pg_type b on b.oid = a.typelem
      where a.typcategory = 'A'
      group by b.oid, b.typarray
      order by b.oid
-- @@
select $1::int as x, $2 as y
-- @@
select * from pgbench_branches where bid = $1
-- @@
select $1::text as a
-- @@
SELECT NOW()
-- @@
SELECT current_setting('server_version_num')::int AS version
-- @@
SELECT t.oid, t.typname, t.typarray, t.typtype, t.typbasetype FROM pg_catalog.pg_type t WHERE t.typname = ANY($1::text[])
-- @@
SELECT n.nspname AS schema, c.relname AS name, c.relkind AS kind FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast' ORDER BY 1, 2
-- @@
SELECT table_name, column_name, data_type, is_nullable, column_default, ordinal_position FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position
-- @@
SELECT tc.constraint_name, tc.table_name, kcu.column_name, ccu.table_name AS foreign_table_name, ccu.column_name AS foreign_column_name FROM information_schema.table_constraints AS tc JOIN information_schema.key_column_usage AS kcu ON tc.constraint_name = kcu.constraint_name AND tc.table_schema = kcu.table_schema JOIN information_schema.constraint_column_usage AS ccu ON ccu.constraint_name = tc.constraint_name WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = $1
-- @@
SELECT a.attname, format_type(a.atttypid, a.atttypmod) AS data_type FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) WHERE i.indrelid = 'public.users'::regclass AND i.indisprimary
-- @@
SELECT pg_catalog.set_config('search_path', '', false)
-- @@
SELECT oid, typname FROM pg_type WHERE typname IN ('hstore', 'citext', 'geometry')
-- @@
select pg_advisory_xact_lock(hashtext($1))
-- @@
SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1) AS "exists"
-- @@
select string_agg(quote_ident(schemaname) || '.' || quote_ident(tablename), ', ') from pg_tables where schemaname = 'public'
-- @@
SELECT c.relname, pg_size_pretty(pg_total_relation_size(c.oid)) FROM pg_class c LEFT JOIN pg_namespace n ON n.oid = c.relnamespace WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND c.relkind <> 'i' ORDER BY pg_total_relation_size(c.oid) DESC LIMIT 20
-- @@
select e.enumlabel, e.enumsortorder from pg_catalog.pg_enum e join pg_catalog.pg_type t on t.oid = e.enumtypid where t.typname = $1 order by e.enumsortorder
-- @@
SELECT json_build_object('id', u.id, 'email', u.email) AS j, jsonb_agg(to_jsonb(p) - 'secret') FILTER (WHERE p.id IS NOT NULL) AS posts FROM users u LEFT JOIN posts p ON p.user_id = u.id GROUP BY u.id
-- @@
SELECT data->>'name' AS name, data->'tags'->0 AS first_tag, data #>> '{a,b}' AS deep, data @> '{"x": 1}'::jsonb AS has_x, data ? 'k', data ?| array['a', 'b'] FROM docs WHERE data ->> 'kind' = 'note'
-- @@
INSERT INTO kv (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now() RETURNING key, value
-- @@
WITH moved AS (DELETE FROM queue WHERE id IN (SELECT id FROM queue ORDER BY id FOR UPDATE SKIP LOCKED LIMIT 10) RETURNING *) INSERT INTO done SELECT * FROM moved
-- @@
select id, row_number() over (partition by user_id order by created_at desc) as rn, lag(amount, 1, 0) over w, sum(amount) over (w rows between 2 preceding and current row exclude ties) from payments window w as (partition by user_id order by created_at)
-- @@
SELECT date_trunc('day', created_at AT TIME ZONE 'UTC') AS day, count(*) FROM events WHERE created_at >= now() - interval '7 days' GROUP BY 1 ORDER BY 1
-- @@
SELECT * FROM users WHERE email ILIKE $1 || '%' AND deleted_at IS NULL ORDER BY id LIMIT $2 OFFSET $3
-- @@
select 1 from pg_catalog.pg_roles where rolname = current_user and (rolsuper or rolcreatedb)
