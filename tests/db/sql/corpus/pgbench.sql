-- pgbench 15: the -i initialisation steps and the tpcb-like, simple-update and select-only transactions (captured with log_statement=all). Separated by "-- @@".
-- @@
drop table if exists pgbench_accounts, pgbench_branches, pgbench_history, pgbench_tellers
-- @@
create table pgbench_history(tid int,bid int,aid    int,delta int,mtime timestamp,filler char(22))
-- @@
create table pgbench_tellers(tid int not null,bid int,tbalance int,filler char(84)) with (fillfactor=100)
-- @@
create table pgbench_accounts(aid    int not null,bid int,abalance int,filler char(84)) with (fillfactor=100)
-- @@
create table pgbench_branches(bid int not null,bbalance int,filler char(88)) with (fillfactor=100)
-- @@
begin
-- @@
truncate table pgbench_accounts, pgbench_branches, pgbench_history, pgbench_tellers
-- @@
insert into pgbench_branches(bid,bbalance) values(1,0)
-- @@
insert into pgbench_tellers(tid,bid,tbalance) values (1,1,0)
-- @@
copy pgbench_accounts from stdin with (freeze on)
-- @@
commit
-- @@
vacuum analyze pgbench_branches
-- @@
vacuum analyze pgbench_tellers
-- @@
vacuum analyze pgbench_accounts
-- @@
vacuum analyze pgbench_history
-- @@
alter table pgbench_branches add primary key (bid)
-- @@
alter table pgbench_tellers add primary key (tid)
-- @@
alter table pgbench_accounts add primary key (aid)
-- @@
insert into pgbench_branches(bid,bbalance) select bid, 0 from generate_series(1, 1) as bid
-- @@
insert into pgbench_tellers(tid,bid,tbalance) select tid, (tid - 1) / 10 + 1, 0 from generate_series(1, 10) as tid
-- @@
insert into pgbench_accounts(aid,bid,abalance,filler) select aid, (aid - 1) / 100000 + 1, 0, '' from generate_series(1, 100000) as aid
-- @@
alter table pgbench_tellers add constraint pgbench_tellers_bid_fkey foreign key (bid) references pgbench_branches
-- @@
alter table pgbench_accounts add constraint pgbench_accounts_bid_fkey foreign key (bid) references pgbench_branches
-- @@
alter table pgbench_history add constraint pgbench_history_bid_fkey foreign key (bid) references pgbench_branches
-- @@
alter table pgbench_history add constraint pgbench_history_tid_fkey foreign key (tid) references pgbench_tellers
-- @@
alter table pgbench_history add constraint pgbench_history_aid_fkey foreign key (aid) references pgbench_accounts
-- @@
select count(*) from pgbench_branches
-- @@
select o.n, p.partstrat, pg_catalog.count(i.inhparent) from pg_catalog.pg_class as c join pg_catalog.pg_namespace as n on (n.oid = c.relnamespace) cross join lateral (select pg_catalog.array_position(pg_catalog.current_schemas(true), n.nspname)) as o(n) left join pg_catalog.pg_partitioned_table as p on (p.partrelid = c.oid) left join pg_catalog.pg_inherits as i on (c.oid = i.inhparent) where c.relname = 'pgbench_accounts' and o.n is not null group by 1, 2 order by 1 asc limit 1
-- @@
vacuum pgbench_branches
-- @@
vacuum pgbench_tellers
-- @@
truncate pgbench_history
-- @@
BEGIN;
-- @@
UPDATE pgbench_accounts SET abalance = abalance + -4802 WHERE aid = 84321;
-- @@
SELECT abalance FROM pgbench_accounts WHERE aid = 84321;
-- @@
UPDATE pgbench_tellers SET tbalance = tbalance + -4802 WHERE tid = 4;
-- @@
UPDATE pgbench_branches SET bbalance = bbalance + -4802 WHERE bid = 1;
-- @@
INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (4, 1, 84321, -4802, CURRENT_TIMESTAMP);
-- @@
END;
-- @@
UPDATE pgbench_accounts SET abalance = abalance + 210 WHERE aid = 40055;
-- @@
UPDATE pgbench_tellers SET tbalance = tbalance + 210 WHERE tid = 6;
-- @@
UPDATE pgbench_branches SET bbalance = bbalance + 210 WHERE bid = 1;
-- @@
INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (6, 1, 40055, 210, CURRENT_TIMESTAMP);
