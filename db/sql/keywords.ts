/**
 * @module PostgreSQL 15's keyword table (the output of `pg_get_keywords()` on a real 15.x server):
 * each keyword's category decides where it may stand as a name, exactly as in gram.y.
 * - `unreserved`: usable anywhere a name is (`name`, `key`, `value`, `type`, `data`, `role`);
 * - `col_name`: usable as a column or table name, not as a function or type name (`int`, `row`);
 * - `type_func_name`: usable as a function or type name, not as a column name (`left`, `join`);
 * - `reserved`: only as a column label after AS, or quoted (`select`, `from`).
 */

/** The four keyword categories of PostgreSQL's kwlist.h. */
export type KeywordCategory = "unreserved" | "col_name" | "type_func_name" | "reserved";

function words(text: string): string[] {
  return text.split(/\s+/).filter((w) => w.length > 0);
}

const unreserved = words(`
abort absolute access action add admin after aggregate also alter always asensitive
assertion assignment at atomic attach attribute backward before begin breadth by cache call
called cascade cascaded catalog chain characteristics checkpoint class close cluster
columns comment comments commit committed compression configuration conflict connection
constraints content continue conversion copy cost csv cube current cursor cycle data
database day deallocate declare defaults deferred definer delete delimiter delimiters
depends depth detach dictionary disable discard document domain double drop each enable
encoding encrypted enum escape event exclude excluding exclusive execute explain expression
extension external family filter finalize first following force forward function functions
generated global granted groups handler header hold hour identity if immediate immutable
implicit import include including increment index indexes inherit inherits inline input
insensitive insert instead invoker isolation key label language large last leakproof level
listen load local location lock locked logged mapping match matched materialized maxvalue
merge method minute minvalue mode month move name names new next nfc nfd nfkc nfkd no
normalized nothing notify nowait nulls object of off oids old operator option options
ordinality others over overriding owned owner parallel parameter parser partial partition
passing password plans policy preceding prepare prepared preserve prior privileges
procedural procedure procedures program publication quote range read reassign recheck
recursive ref referencing refresh reindex relative release rename repeatable replace
replica reset restart restrict return returns revoke role rollback rollup routine routines
rows rule savepoint schema schemas scroll search second security sequence sequences
serializable server session set sets share show simple skip snapshot sql stable standalone
start statement statistics stdin stdout storage stored strict strip subscription support
sysid system tables tablespace temp template temporary text ties transaction transform
trigger truncate trusted type types uescape unbounded uncommitted unencrypted unknown
unlisten unlogged until update vacuum valid validate validator value varying version view
views volatile whitespace within without work wrapper write xml year yes zone
`);

const colName = words(`
between bigint bit boolean char character coalesce dec decimal exists extract float
greatest grouping inout int integer interval least national nchar none normalize nullif
numeric out overlay position precision real row setof smallint substring time timestamp
treat trim values varchar xmlattributes xmlconcat xmlelement xmlexists xmlforest
xmlnamespaces xmlparse xmlpi xmlroot xmlserialize xmltable
`);

const typeFuncName = words(`
authorization binary collation concurrently cross current_schema freeze full ilike inner is
isnull join left like natural notnull outer overlaps right similar tablesample verbose
`);

const reserved = words(`
all analyse analyze and any array as asc asymmetric both case cast check collate column
constraint create current_catalog current_date current_role current_time current_timestamp
current_user default deferrable desc distinct do else end except false fetch for foreign
from grant group having in initially intersect into lateral leading limit localtime
localtimestamp not null offset on only or order placing primary references returning select
session_user some symmetric table then to trailing true union unique user using variadic
when where window with
`);

/** Keywords that may not be a column label without AS (`select 1 year` is an error). */
const notBareLabel = words(`
array as char character create day except fetch filter for from grant group having hour
intersect into isnull limit minute month notnull offset on order over overlaps precision
returning second to union varying where window with within without year
`);

/** Every keyword with its category, by its lower-case spelling. */
export const keywords: ReadonlyMap<string, KeywordCategory> = new Map<string, KeywordCategory>([
  ...unreserved.map((w) => [w, "unreserved"] as const),
  ...colName.map((w) => [w, "col_name"] as const),
  ...typeFuncName.map((w) => [w, "type_func_name"] as const),
  ...reserved.map((w) => [w, "reserved"] as const),
]);

const bareLabelExcluded: ReadonlySet<string> = new Set(notBareLabel);

/**
 * The category of `word` (already lower case), or undefined when it is not a keyword.
 *
 * @example
 * keywordCategory("select"); // "reserved"
 */
export function keywordCategory(word: string): KeywordCategory | undefined {
  return keywords.get(word);
}

/** Whether keyword `word` may be a column label without AS (PostgreSQL's BARE_LABEL). */
export function isBareLabel(word: string): boolean {
  return !bareLabelExcluded.has(word);
}
