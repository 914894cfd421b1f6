-- Corner cases of the grammar, each checked against PostgreSQL 15 (which accepts them all).
-- Separated by "-- @@".
-- @@
select * from t as t(a, b)
-- @@
select 1 as from
-- @@
select (t).a from t
-- @@
select array_agg(x order by y desc) from t
-- @@
select count(*) over w from t window w as ()
-- @@
select * from t where (a, b) in ((1, 2), (3, 4))
-- @@
select 1 from t group by ()
-- @@
select '{1,2}'::int[] && '{2}'
-- @@
values (1) order by 1 limit 1
-- @@
select 1 from t limit $1 offset $2
-- @@
insert into t (a) overriding system value values (1)
-- @@
insert into t as x values (1) on conflict (a) where a > 0 do nothing
-- @@
update only t set a = default
-- @@
update t as x set (a, b) = (select 1, 2)
-- @@
update t set a[1] = 2, b.c = 3
-- @@
select * from only t
-- @@
select all a from t
-- @@
select interval '1 day' hour to second
-- @@
select '1'::interval(3)
-- @@
select timestamp(3) '2020-01-01'
-- @@
select float8 '1.5', int4 '1'
-- @@
select double precision '1.5'
-- @@
select bit '101', bit varying(5) '101'
-- @@
select character varying(10) 'x'
-- @@
select national character 'x', nchar 'y', n'z'
-- @@
select char 'x'
-- @@
select numeric(10,2) '1.5'
-- @@
select time with time zone '12:00'
-- @@
select x::"char", 'a'::pg_catalog.text from t
-- @@
select * from t join u using (a) as j
-- @@
select * from (t join u using (a)) as j(x, y)
-- @@
select * from t cross join lateral f(t.a) as g
-- @@
select * from rows from (f(1), g(2)) with ordinality as x(a, b, n)
-- @@
select * from json_to_record('{}') as x(a int, b text)
-- @@
with a(x) as not materialized (values (1)) select * from a
-- @@
with ins as (insert into t values (1) returning *) select * from ins
-- @@
select * from t for update for share
-- @@
select * from t for key share of t, u
-- @@
select 1 fetch first row only
-- @@
select 1 offset 1 row
-- @@
select true is unknown, null::bool is not unknown
-- @@
select 'a' not similar to 'b', 'a' not ilike 'B'
-- @@
select 1 where 'a' like any (array['a']) and 'b' not like all (array['a'])
-- @@
select (select array[1,2])[1]
-- @@
select ($1).a, $1[1]
-- @@
select rank(1) within group (order by x) from t
-- @@
select sum(x) over (rows unbounded preceding) from t
-- @@
select x from t window w as (partition by a), w2 as (w order by b)
-- @@
select current_time(2), localtime(1), localtimestamp
-- @@
select substring('abc', 1, 2), substring('abc' similar 'a' escape '#')
-- @@
select trim(' x '), trim(from ' x '), trim(both from ' x ')
-- @@
select extract('year' from now()), extract(epoch from interval '1 day')
-- @@
select row(), row(1), ((1, 2))
-- @@
select array[]::int[]
-- @@
select 1 operator(+) 2, operator(pg_catalog.-) 1
-- @@
select - - 1, +1, 1 ++ 1
-- @@
select a->'b'->>'c', a #>> '{x}', a @@ b from t
-- @@
select x from t where x isnull or y notnull
-- @@
create table t (a int default 1 not null, b int default -1, c text default 'x' || 'y')
-- @@
create table t (a int constraint a_nn not null, b int unique nulls not distinct)
-- @@
create table t (a int references u (b) match simple on delete set null on update restrict)
-- @@
create table t (a serial, b bigserial) inherits (u)
-- @@
create index i on t using gin (a jsonb_path_ops)
-- @@
create index i on t ((a->>'x'))
-- @@
create index i on t (a collate "C" desc)
-- @@
create or replace temp view v as select 1
-- @@
create materialized view if not exists mv as select 1 with data
-- @@
refresh materialized view mv
-- @@
create sequence s start 1
-- @@
alter sequence s owned by none
-- @@
alter sequence s increment 5 restart
-- @@
create schema authorization bob
-- @@
create type t as enum ()
-- @@
alter type t rename value 'a' to 'b'
-- @@
create database d template template0 lc_collate 'C'
-- @@
comment on constraint c on t is 'x'
-- @@
comment on materialized view mv is 'x'
-- @@
truncate t continue identity restrict
-- @@
create function f(int) returns int as $$ select $1 $$ language sql
-- @@
create function f(a int = 1) returns int as 'select a' language sql
-- @@
create function f() returns setof text language sql as 'select 1'
-- @@
create function f() returns int immutable parallel safe cost 1 as 'select 1' language sql
-- @@
create procedure p() language sql as $$ $$
-- @@
create role r with login encrypted password 'x' in group g role a, b admin c
-- @@
alter role current_user set x = y
-- @@
grant select (a, b) on t to r
-- @@
grant all (a) on t to r
-- @@
grant usage on type t to r
-- @@
grant usage on language plpgsql to r
-- @@
grant create on schema s to r
-- @@
grant references, trigger, truncate on t to r
-- @@
grant temp on database d to r
-- @@
grant r to u granted by postgres
-- @@
alter default privileges grant usage on types to r
-- @@
alter default privileges grant usage on schemas to r
-- @@
create policy p on t for all to public, current_user using (true)
-- @@
set role to anon
-- @@
set session role anon
-- @@
set datestyle to iso, mdy
-- @@
set time zone -5
-- @@
set constraints all deferred
-- @@
show server_version
-- @@
reset transaction isolation level
-- @@
begin read write
-- @@
end transaction
-- @@
abort work
-- @@
explain (costs off) select 1
-- @@
explain analyse select 1
-- @@
explain execute p(1)
-- @@
explain create table x as select 1
-- @@
vacuum freeze t
-- @@
analyze verbose t
-- @@
copy t to stdout (format binary)
-- @@
copy t(a) from stdin where a > 0
-- @@
copy t from stdin csv header force not null a
-- @@
copy binary t from stdin
-- @@
copy t from stdin using delimiters ','
-- @@
copy t from program 'cat'
-- @@
do 'begin end'
-- @@
values (1), (2) union select 3
-- @@
(table t)
-- @@
select 1 "x", 1 text, 1 left
-- @@
select 1 is not true is null
-- @@
create table t (a int collate "C" not null)
-- @@
alter table t alter column a set data type text collate "C" using a::text
-- @@
alter table t add column b int references u on delete cascade
-- @@
alter table t drop a
-- @@
alter table t add constraint u unique (a) deferrable initially deferred
-- @@
alter table t validate constraint c
-- @@
alter table t alter column a drop identity if exists
-- @@
alter table t reset (fillfactor)
-- @@
alter materialized view mv rename to mv2
-- @@
alter view v rename column a to b
-- @@
alter function f(int) rename to g
-- @@
alter function f set schema s
-- @@
alter type t owner to bob
-- @@
alter database d rename to e
-- @@
alter database d owner to bob
-- @@
alter extension e set schema s
-- @@
create unique index on t (a) nulls not distinct
-- @@
select * from t where a = any ('{1,2}')
-- @@
select 1 from t where (a).b = 1
-- @@
select f(variadic array[1,2])
-- @@
select f(x := 1)
-- @@
select count(all x) from t
-- @@
select * from t where a in (select 1 union select 2)
-- @@
select 1 union (select 2 order by 1 limit 1)
-- @@
select * from t1 join t2 join t3 on true on true
-- @@
select * from t1 left join t2 natural join t3 on true
-- @@
select cast('1' as interval day)
-- @@
select '1 day'::interval day to hour
-- @@
select 1::bigint::text::int
