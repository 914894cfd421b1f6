/**
 * @module The fuzzer's generator: a random schema (2–3 tables over small value domains so joins
 * and groups meet), random rows with NULLs, and random queries — joins of every kind, WHERE with
 * IN/EXISTS/scalar subqueries, GROUP BY with aggregates and HAVING, DISTINCT, ORDER BY, LIMIT and
 * OFFSET, set operations. Queries are kept as a small tree so a failing one can be shrunk.
 */
import { Rng } from "./rng.ts";

type ColType = "int" | "text" | "numeric" | "bool";

interface Column {
  name: string;
  type: ColType;
}

/** A generated table. */
export interface FuzzTable {
  name: string;
  columns: Column[];
}

/** A generated schema with its setup SQL (CREATE + INSERT). */
export interface FuzzSchema {
  tables: FuzzTable[];
  setup: string[];
}

/** A query tree; `render` turns it into SQL. Optional parts can be dropped by the shrinker. */
export interface FuzzQuery {
  distinct: boolean;
  select: string[];
  /** A CTE the FROM reads (`WITH w AS (…)`), or null. */
  with: string | null;
  from: string;
  /** The FROM as a plain table, for the shrinker to try. */
  plainFrom: string;
  joins: { sql: string; alias: string }[];
  where: string[];
  groupBy: string[];
  having: string | null;
  /** ORDER BY every output column (so the order is total) with these directions, or null. */
  orderBy: string[] | null;
  limit: number | null;
  offset: number | null;
  /** A second query combined with this one, or null. */
  setOp: { op: string; query: FuzzQuery } | null;
}

const sqlTypes: Record<ColType, string> = {
  int: "int",
  text: "text",
  numeric: "numeric",
  bool: "boolean",
};

function literal(rng: Rng, type: ColType): string {
  switch (type) {
    case "int":
      return String(rng.int(-2, 6));
    case "text":
      return `'${rng.pick(["a", "b", "c", "ab", "B", ""])}'`;
    case "numeric":
      return rng.pick(["0", "1.5", "-2", "10.25", "3"]);
    case "bool":
      return rng.pick(["true", "false"]);
  }
}

/** A random schema of 2–3 tables with 4–20 rows each. */
export function genSchema(rng: Rng): FuzzSchema {
  const tables: FuzzTable[] = [];
  const setup: string[] = [];
  const n = rng.int(2, 3);
  for (let i = 0; i < n; i++) {
    const columns: Column[] = [{ name: "k", type: "int" }];
    const extra = rng.int(2, 4);
    for (let c = 0; c < extra; c++) {
      columns.push({
        name: `c${c}`,
        type: rng.pick(["int", "int", "text", "numeric", "bool"] as ColType[]),
      });
    }
    const t: FuzzTable = { name: `t${i}`, columns };
    tables.push(t);
    setup.push(
      `CREATE TABLE ${t.name} (${columns.map((c) => `${c.name} ${sqlTypes[c.type]}`).join(", ")})`,
    );
    const rows: string[] = [];
    const count = rng.int(4, 20);
    for (let r = 0; r < count; r++) {
      rows.push(
        `(${columns.map((c) => (rng.chance(0.15) ? "NULL" : literal(rng, c.type))).join(", ")})`,
      );
    }
    setup.push(`INSERT INTO ${t.name} VALUES ${rows.join(", ")}`);
    if (rng.chance(0.4)) setup.push(`CREATE INDEX ON ${t.name} (k)`);
  }
  return { tables, setup };
}

interface Scope {
  alias: string;
  table: FuzzTable;
}

/** Builds random queries over one schema. */
export class QueryGen {
  constructor(readonly rng: Rng, readonly schema: FuzzSchema) {}

  #cols(scopes: Scope[], type?: ColType): string[] {
    const out: string[] = [];
    for (const s of scopes) {
      for (const c of s.table.columns) {
        if (type === undefined || c.type === type) out.push(`${s.alias}.${c.name}`);
      }
    }
    return out;
  }

  #typeOf(scopes: Scope[], ref: string): ColType {
    const [alias, name] = ref.split(".");
    const s = scopes.find((x) => x.alias === alias)!;
    return s.table.columns.find((c) => c.name === name)!.type;
  }

  #scalar(scopes: Scope[], allowErrors: boolean, windows: boolean): string {
    const r = this.rng;
    const ref = r.pick(this.#cols(scopes));
    const type = this.#typeOf(scopes, ref);
    const ints = this.#cols(scopes, "int");
    if (r.chance(0.45)) return ref;
    if (r.chance(0.15)) {
      const other = r.pick(this.schema.tables);
      const corr = `s9.k = ${r.pick(ints)}`;
      return r.pick([
        `(SELECT count(*) FROM ${other.name} s9 WHERE ${corr})`,
        `(SELECT max(s9.k) FROM ${other.name} s9 WHERE ${corr})`,
        `(SELECT sum(s9.k) FROM ${other.name} s9 WHERE s9.k <= ${r.pick(ints)})`,
      ]);
    }
    if (windows && r.chance(0.2)) {
      const p = r.pick(this.#cols(scopes));
      const o = r.pick([...ints, ...this.#cols(scopes, "text"), ...this.#cols(scopes, "numeric")]);
      return r.pick([
        `rank() OVER (PARTITION BY ${p} ORDER BY ${o})`,
        `dense_rank() OVER (ORDER BY ${o} DESC)`,
        `count(*) OVER (PARTITION BY ${p})`,
        `sum(${r.pick(ints)}) OVER (PARTITION BY ${p} ORDER BY ${o})`,
        `max(${o}) OVER (PARTITION BY ${p})`,
      ]);
    }
    const cond = () => this.#pred(scopes, 1);
    switch (type) {
      case "int": {
        const other = r.pick(ints);
        const forms = [
          `${ref} + 1`,
          `${ref} * 2`,
          `abs(${ref})`,
          `coalesce(${ref}, 0)`,
          `${ref} % 3`,
          `${ref} / nullif(${other}, 0)`,
          `CASE WHEN ${cond()} THEN ${ref} ELSE ${other} END`,
          `greatest(${ref}, ${other}, 1)`,
          `nullif(${ref}, ${other})`,
        ];
        if (allowErrors) forms.push(`${ref} / ${other}`, `${ref} % ${other}`);
        return r.pick(forms);
      }
      case "text":
        return r.pick([
          `upper(${ref})`,
          `${ref} || 'x'`,
          `length(${ref})`,
          `coalesce(${ref}, '?')`,
          `substr(${ref}, 1, 1)`,
          `CASE WHEN ${cond()} THEN ${ref} ELSE 'none' END`,
          `${ref} || ${r.pick(ints)}`,
        ]);
      case "numeric": {
        const forms = [
          `${ref} * 2`,
          `round(${ref})`,
          `${ref} - 1.5`,
          `coalesce(${ref}, 0)`,
          `round(${ref} / 3, 2)`,
          `${ref} / nullif(${r.pick(ints)}, 0)`,
          `least(${ref}, 2)`,
        ];
        if (allowErrors) forms.push(`${ref} / ${r.pick(ints)}`);
        return r.pick(forms);
      }
      case "bool":
        return r.pick([
          `NOT ${ref}`,
          `coalesce(${ref}, false)`,
          `${ref} IS TRUE`,
          `(${ref} AND ${cond()})`,
          `(${ref} OR ${cond()})`,
        ]);
    }
  }

  #pred(scopes: Scope[], depth = 0): string {
    const r = this.rng;
    const ref = r.pick(this.#cols(scopes));
    const type = this.#typeOf(scopes, ref);
    const cmp = r.pick(["=", "<>", "<", "<=", ">", ">="]);
    const k = r.int(0, depth > 0 ? 4 : 8);
    if (k <= 1) return `${ref} ${type === "bool" ? "=" : cmp} ${literal(r, type)}`;
    if (k === 2) {
      const same = this.#cols(scopes, type);
      return `${ref} ${type === "bool" ? "<>" : cmp} ${r.pick(same)}`;
    }
    if (k === 3) return `${ref} IS ${r.chance(0.5) ? "" : "NOT "}NULL`;
    if (k === 4) {
      return `(${this.#pred(scopes, depth + 1)} ${r.pick(["AND", "OR"])} ${
        this.#pred(scopes, depth + 1)
      })`;
    }
    const other = r.pick(this.schema.tables);
    const sub: Scope = { alias: `s${depth}`, table: other };
    const subCols = this.#cols([sub], type);
    if (k === 5 && subCols.length > 0) {
      const notIn = r.chance(0.3) ? "NOT " : "";
      return `${ref} ${notIn}IN (SELECT ${r.pick(subCols)} FROM ${other.name} ${sub.alias} WHERE ${
        this.#pred([sub], depth + 1)
      })`;
    }
    if (k === 6) {
      const corr = `${sub.alias}.k = ${r.pick(this.#cols(scopes, "int"))}`;
      return `${
        r.chance(0.3) ? "NOT " : ""
      }EXISTS (SELECT 1 FROM ${other.name} ${sub.alias} WHERE ${corr} AND ${
        this.#pred([sub], depth + 1)
      })`;
    }
    if (k === 7 && type === "int") {
      return `${ref} ${cmp} (SELECT ${
        r.pick(["max", "min", "count"])
      }(${sub.alias}.k) FROM ${other.name} ${sub.alias} WHERE ${this.#pred([sub], depth + 1)})`;
    }
    const lhs = type === "bool" ? `${ref}::int` : ref;
    const lt: ColType = type === "bool" ? "int" : type;
    const not = r.chance(0.3) ? "NOT " : "";
    return `${lhs} ${not}BETWEEN ${literal(r, lt)} AND ${literal(r, lt)}`;
  }

  /** A random query; `simple` keeps it to one table and no grouping (for set operations). */
  query(simple = false): FuzzQuery {
    const r = this.rng;
    const base: Scope = { alias: "a", table: r.pick(this.schema.tables) };
    const scopes = [base];
    const plainFrom = `${base.table.name} ${base.alias}`;
    let from = plainFrom;
    let withSql: string | null = null;
    if (!simple && r.chance(0.2)) {
      const inner = this.#pred([{ alias: base.table.name, table: base.table }], 1);
      if (r.chance(0.5)) from = `(SELECT * FROM ${base.table.name} WHERE ${inner}) ${base.alias}`;
      else {
        withSql = `w AS (SELECT * FROM ${base.table.name} WHERE ${inner})`;
        from = `w ${base.alias}`;
      }
    }
    const joins: { sql: string; alias: string }[] = [];
    const joinCount = simple ? 0 : r.pick([0, 1, 1, 2]);
    for (let j = 0; j < joinCount; j++) {
      const s: Scope = { alias: String.fromCharCode(98 + j), table: r.pick(this.schema.tables) };
      const kind = r.pick(["JOIN", "LEFT JOIN", "RIGHT JOIN", "FULL JOIN", "CROSS JOIN", "JOIN"]);
      if (kind === "CROSS JOIN") {
        joins.push({ sql: `CROSS JOIN ${s.table.name} ${s.alias}`, alias: s.alias });
      } else {
        const left = r.pick(this.#cols(scopes, "int"));
        let on = `${left} = ${s.alias}.k`;
        if (r.chance(0.3)) on += ` AND ${this.#pred([s])}`;
        joins.push({ sql: `${kind} ${s.table.name} ${s.alias} ON ${on}`, alias: s.alias });
      }
      scopes.push(s);
    }
    const where: string[] = [];
    const wc = r.pick([0, 1, 1, 2]);
    for (let i = 0; i < wc; i++) where.push(this.#pred(scopes));
    const q: FuzzQuery = {
      distinct: false,
      select: [],
      with: withSql,
      from,
      plainFrom,
      joins,
      where,
      groupBy: [],
      having: null,
      orderBy: null,
      limit: null,
      offset: null,
      setOp: null,
    };
    const ordered = !simple && r.chance(0.6);
    const limited = ordered && r.chance(0.6);
    if (!simple && r.chance(0.35)) {
      const keys = r.chance(0.3) ? 2 : 1;
      q.groupBy = Array.from({ length: keys }, () => r.pick(this.#cols(scopes)));
      if (keys === 2 && r.chance(0.4)) q.groupBy = [`ROLLUP (${q.groupBy.join(", ")})`];
      const aggs = ["count(*)", `count(${r.pick(this.#cols(scopes))})`];
      const ints = this.#cols(scopes, "int");
      const nums = this.#cols(scopes, "numeric");
      const texts = this.#cols(scopes, "text");
      const orderable = [...ints, ...nums, ...texts];
      aggs.push(`sum(${r.pick(ints)})`, `max(${r.pick(ints)})`, `min(${r.pick(orderable)})`);
      if (nums.length > 0) aggs.push(`avg(${r.pick(nums)})`, `sum(${r.pick(nums)})`);
      if (texts.length > 0) aggs.push(`string_agg(${texts[0]}, ',' ORDER BY ${texts[0]})`);
      aggs.push(`count(DISTINCT ${r.pick(ints)})`, `bool_or(${r.pick(ints)} > 2)`);
      aggs.push(`sum(${r.pick(ints)}) FILTER (WHERE ${this.#pred(scopes, 1)})`);
      const keyCols = q.groupBy[0]!.startsWith("ROLLUP")
        ? q.groupBy[0]!.slice(8, -1).split(", ")
        : q.groupBy;
      q.select = [...keyCols, ...Array.from({ length: r.int(1, 3) }, () => r.pick(aggs))];
      if (r.chance(0.3)) {
        q.having = r.pick([
          `count(*) ${r.pick([">", ">=", "="])} ${r.int(1, 3)}`,
          `sum(${r.pick(ints)}) > ${r.int(-2, 6)}`,
          `max(${r.pick(ints)}) IS NOT NULL`,
        ]);
      }
    } else if (simple) {
      // Set operation branches need matching types: the same two int columns every time.
      q.select = [`${base.alias}.k`, `${base.alias}.k * 2`];
    } else {
      q.select = Array.from({ length: r.int(1, 4) }, () => this.#scalar(scopes, !limited, true));
      q.distinct = r.chance(0.2);
    }
    if (ordered) {
      q.orderBy = q.select.map(() =>
        `${r.pick(["ASC", "DESC"])} NULLS ${r.pick(["FIRST", "LAST"])}`
      );
      if (limited) {
        q.limit = r.int(0, 8);
        if (r.chance(0.3)) q.offset = r.int(0, 4);
      }
    }
    if (!simple && q.groupBy.length === 0 && !q.distinct && r.chance(0.15)) {
      q.select = [`${base.alias}.k`, `${base.alias}.k * 2`];
      q.orderBy = null;
      q.limit = null;
      q.offset = null;
      q.setOp = {
        op: r.pick(["UNION", "UNION ALL", "INTERSECT", "INTERSECT ALL", "EXCEPT", "EXCEPT ALL"]),
        query: this.query(true),
      };
    }
    return q;
  }
}

/** The SQL text of a query tree. */
export function renderQuery(q: FuzzQuery): string {
  const cols = q.select.map((s, i) => `${s} AS v${i}`);
  let sql = q.with === null ? "" : `WITH ${q.with} `;
  sql += `SELECT ${q.distinct ? "DISTINCT " : ""}${cols.join(", ")} FROM ${q.from}`;
  for (const j of q.joins) sql += ` ${j.sql}`;
  if (q.where.length > 0) sql += ` WHERE ${q.where.join(" AND ")}`;
  if (q.groupBy.length > 0) sql += ` GROUP BY ${q.groupBy.join(", ")}`;
  if (q.having !== null) sql += ` HAVING ${q.having}`;
  if (q.setOp !== null) sql += ` ${q.setOp.op} ${renderQuery(q.setOp.query)}`;
  if (q.orderBy !== null) sql += ` ORDER BY ${q.orderBy.map((d, i) => `v${i} ${d}`).join(", ")}`;
  if (q.limit !== null) sql += ` LIMIT ${q.limit}`;
  if (q.offset !== null) sql += ` OFFSET ${q.offset}`;
  return sql;
}

/** Smaller variants of a query, most aggressive first, for delta-debugging a mismatch. */
export function shrinkCandidates(q: FuzzQuery): FuzzQuery[] {
  const out: FuzzQuery[] = [];
  const v = (patch: Partial<FuzzQuery>) => out.push({ ...q, ...patch });
  if (q.setOp !== null) v({ setOp: null });
  if (q.from !== q.plainFrom) v({ from: q.plainFrom, with: null });
  if (q.limit !== null) v({ limit: null });
  if (q.offset !== null) v({ offset: null });
  if (q.having !== null) v({ having: null });
  if (q.distinct) v({ distinct: false });
  if (q.orderBy !== null && q.limit === null && q.offset === null) v({ orderBy: null });
  q.where.forEach((_, i) => v({ where: q.where.filter((_, k) => k !== i) }));
  q.joins.forEach((j, i) => {
    const rest = { ...q, joins: q.joins.filter((_, k) => k !== i) };
    // A join can go only if nothing else names its alias.
    if (!renderQuery(rest).includes(`${j.alias}.`)) out.push(rest);
  });
  if (q.groupBy.length === 0 && q.select.length > 1) {
    q.select.forEach((_, i) => {
      const select = q.select.filter((_, k) => k !== i);
      const orderBy = q.orderBy === null ? null : q.orderBy.filter((_, k) => k !== i);
      if (q.setOp === null) out.push({ ...q, select, orderBy });
    });
  }
  if (q.groupBy.length > 0 && q.select.length > 2) {
    for (let i = 1; i < q.select.length; i++) {
      const select = q.select.filter((_, k) => k !== i);
      const orderBy = q.orderBy === null ? null : q.orderBy.filter((_, k) => k !== i);
      out.push({ ...q, select, orderBy });
    }
  }
  return out;
}
