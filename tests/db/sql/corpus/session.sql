-- Roles, privileges, policies, transactions, settings and utility statements. Separated by "-- @@".
-- @@
create role anon nologin noinherit
-- @@
create role authenticated nologin
-- @@
create user bob with login password 'secret' valid until '2030-01-01' connection limit 5 in role authenticated
-- @@
create role admin superuser createdb createrole bypassrls replication
-- @@
alter role bob with nosuperuser password null
-- @@
alter role bob rename to robert
-- @@
alter role bob set search_path to public, extensions
-- @@
alter role all set statement_timeout = '5s'
-- @@
alter user bob in database db reset all
-- @@
drop role if exists bob, alice
-- @@
drop user x
-- @@
grant select, insert, update (a, b), delete on table public.t, u to anon, authenticated with grant option
-- @@
grant all privileges on all tables in schema public to service_role
-- @@
grant usage on schema public to public
-- @@
grant execute on function auth.uid() to anon
-- @@
grant connect, temporary on database postgres to bob
-- @@
grant usage, select on sequence s to bob
-- @@
revoke all on t from public cascade
-- @@
revoke grant option for select on t from bob
-- @@
grant authenticated to bob with admin option
-- @@
revoke admin option for authenticated from bob
-- @@
grant anon, authenticated to authenticator
-- @@
alter default privileges in schema public grant all on tables to postgres, anon
-- @@
alter default privileges for role postgres in schema public revoke execute on functions from public
-- @@
create policy "Users can see own rows" on public.profiles as permissive for select to authenticated using (auth.uid() = user_id)
-- @@
create policy p2 on t as restrictive for update using (true) with check (owner = current_user)
-- @@
create policy p3 on t for insert with check (auth.role() = 'authenticated')
-- @@
create policy p4 on t
-- @@
alter policy p on t rename to q
-- @@
alter policy p on t to anon using (false) with check (true)
-- @@
drop policy if exists p on t
-- @@
set role anon
-- @@
set role none
-- @@
reset role
-- @@
set session authorization bob
-- @@
set session authorization default
-- @@
begin
-- @@
begin isolation level serializable read only deferrable
-- @@
start transaction isolation level repeatable read, read write
-- @@
begin work
-- @@
commit
-- @@
commit and chain
-- @@
end
-- @@
rollback
-- @@
abort
-- @@
rollback and no chain
-- @@
savepoint sp1
-- @@
release savepoint sp1
-- @@
release sp1
-- @@
rollback to savepoint sp1
-- @@
rollback to sp1
-- @@
set search_path to public, "$user"
-- @@
set local statement_timeout = 1000
-- @@
set session timezone = 'UTC'
-- @@
set time zone 'America/New_York'
-- @@
set time zone local
-- @@
set time zone interval '+05:30' hour to minute
-- @@
set request.jwt.claims = '{"sub": "x"}'
-- @@
set client_min_messages to warning
-- @@
set x = default
-- @@
set names 'UTF8'
-- @@
set schema 'public'
-- @@
set transaction isolation level read committed
-- @@
set session characteristics as transaction read only
-- @@
show all
-- @@
show search_path
-- @@
show time zone
-- @@
show transaction isolation level
-- @@
reset all
-- @@
reset search_path
-- @@
prepare q (int, text) as select $1, $2
-- @@
prepare q2 as insert into t values ($1)
-- @@
execute q (1, 'a')
-- @@
execute q2
-- @@
deallocate q
-- @@
deallocate prepare all
-- @@
explain select 1
-- @@
explain analyze verbose select 1
-- @@
explain (analyze, buffers off, format json) select 1
-- @@
explain insert into t values (1)
-- @@
checkpoint
-- @@
vacuum
-- @@
vacuum full analyze t
-- @@
vacuum (verbose, analyze) t (a, b)
-- @@
analyze
-- @@
analyze t
-- @@
copy t from stdin
-- @@
copy t (a, b) to stdout with (format csv, header true, delimiter ',', null '', force_quote *)
-- @@
copy t from stdin with csv header delimiter ',' null '' quote '"'
-- @@
copy (select * from t) to stdout with csv
-- @@
copy t to '/tmp/x.csv' with binary
-- @@
listen ch
-- @@
unlisten ch
-- @@
unlisten *
-- @@
notify ch
-- @@
notify ch, 'payload'
-- @@
discard all
-- @@
lock table t in access exclusive mode nowait
-- @@
lock t, u
-- @@
do $$ begin perform 1; end $$
-- @@
do language plpgsql $$ begin end $$
