-- Queries and DML: every clause of SELECT, INSERT, UPDATE, DELETE. Statements are separated by "-- @@" lines.
-- @@
select a, b+1 as c from t where x = 1 and y like 'a%' order by 1 desc limit 5
-- @@
select distinct on (a) a, b from t order by a, b desc nulls last
-- @@
select * from a join b on a.id = b.id left join c using (id) cross join d
-- @@
select * from a natural full outer join b
-- @@
select count(*) filter (where x > 0) over (partition by a order by b rows between unbounded preceding and current row) from t
-- @@
select string_agg(x, ',' order by y) from t group by rollup (a, b), cube (c), grouping sets ((a), (), (a,b))
-- @@
with recursive r(n) as (select 1 union all select n+1 from r where n < 10) select * from r
-- @@
with x as materialized (select 1) select * from x
-- @@
insert into t (a, b) values (1, default), (2, 3) on conflict (a) do update set b = excluded.b where t.b is null returning *
-- @@
insert into t default values
-- @@
insert into t select * from u on conflict on constraint t_pkey do nothing
-- @@
update t set a = 1, (b, c) = (2, 3) from u where t.id = u.id returning t.*
-- @@
delete from t using u where t.id = u.id returning id
-- @@
select x::int, cast(y as text), date '2020-01-01', interval '1' day, interval '1 day', timestamp with time zone '2020-01-01 00:00'
-- @@
select a[1], a[1:2], (row(1,2)).f1, (t.c).*, $1, $2::text
-- @@
select case when a then 1 else 2 end, case a when 1 then 'x' end
-- @@
select extract(year from now()), substring('abc' from 2 for 1), position('b' in 'abc'), trim(both 'x' from 'xax'), overlay('abc' placing 'x' from 2)
-- @@
select current_date, current_timestamp(3), current_user, session_user, user, current_schema, current_schema()
-- @@
select coalesce(a, b), nullif(a, b), greatest(1, 2), least(1, 2)
-- @@
select exists (select 1), a in (select b from c), a not in (1, 2), a = any(array[1,2]), a > all (select 1)
-- @@
select array[1,2,3], array[[1,2],[3,4]], array(select 1)
-- @@
select x from t where a between 1 and 10 and b not between symmetric 2 and 1
-- @@
select 1 union select 2 intersect select 3 except all select 4
-- @@
(select 1) union (select 2) order by 1 limit 1
-- @@
select * from generate_series(1, 10) with ordinality as t(a, b)
-- @@
select * from unnest(array[1,2]) as u(x), lateral (select x) s
-- @@
select * from t for update of t nowait
-- @@
select * from t for no key update skip locked
-- @@
select * from t offset 10 rows fetch first 5 rows only
-- @@
select * from t order by a fetch next 3 rows with ties
-- @@
select a from t window w as (partition by b)
-- @@
select rank() over w from t window w as (order by a)
-- @@
select a collate "C", a at time zone 'UTC', a operator(pg_catalog.~) 'x', -a, not a, a is not null, a isnull, a is distinct from b, a is true
-- @@
select 'a' || 'b', 2 ^ 3, 4 % 3, a ~* 'x', a !~ 'y', a similar to 'x' escape '\'
-- @@
select e'a\nb', U&'\0041', B'0101', X'1F', $$dollar$$, $tag$x$tag$
-- @@
select f(a => 1, b := 2), g(variadic array[1]), count(distinct a), percentile_cont(0.5) within group (order by x)
-- @@
select * from t1, (t2 join t3 on true) as j
-- @@
table t
-- @@
values (1, 2), (3, 4)
-- @@
select 1 as "Select", "Weird ""Name""" from "T"
