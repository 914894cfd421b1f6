-- A psql session run against BKG and PostgreSQL 15; the test compares the two outputs.
-- DDL
create table items (
  id int primary key,
  name text not null,
  price numeric(10,2),
  tags text[],
  note varchar(20) default 'none'
);
create index items_name_idx on items (name);
create table orders (id serial primary key, item_id int not null, qty int not null default 1);
create unique index orders_item_qty_idx on orders (item_id, qty);
-- DML
insert into items (id, name, price, tags) values (1, 'apple', 1.50, '{red,fruit}'), (2, 'bread', 2.25, null);
insert into items values (3, 'cheese', 7.00, '{}', 'aged') returning id, name, note;
update items set price = price * 2 where id = 1;
delete from items where id = 99;
insert into orders (item_id, qty) values (1, 3), (2, 1);
select i.name, o.qty, i.price * o.qty as total from items i join orders o on o.item_id = i.id order by i.id;
-- \copy in and out
\copy items (id, name, price) from 'items_in.csv' with (format csv)
\copy items (id, name) from stdin
20	twenty
21	twenty-one
\.
\copy (select id, name, price, tags from items order by id) to 'items_out.tsv'
\copy (select * from items order by id) to 'items_out.csv' with (format csv, header)
\copy orders to 'orders_out.csv' with (format csv, header)
select count(*), sum(price) from items;
-- \d family
\d items
\d orders
\dt
\di
\d items_name_idx
-- transactions
begin;
insert into items (id, name) values (30, 'kept');
savepoint s1;
insert into items (id, name) values (31, 'undone');
rollback to savepoint s1;
commit;
select id, name from items where id >= 30 order by id;
-- an error in the middle of a transaction, with ON_ERROR_STOP off for this part
\set ON_ERROR_STOP 0
begin;
insert into items (id, name) values (40, 'lost');
select 1/0;
select 'ignored';
commit;
insert into items (id, name) values (1, 'duplicate');
\set ON_ERROR_STOP 1
select count(*) as lost_rows from items where id = 40;
select id, name, price, tags, note from items order by id;
