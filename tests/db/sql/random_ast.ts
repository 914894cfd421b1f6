/**
 * @module A seeded generator of random ASTs for the printer's property test. It builds trees the
 * parser itself could produce (AND/OR flattened on the left, minus folded into literals, FROM
 * subqueries with aliases, …), so `parse(print(ast))` must give the same tree back.
 */
import type {
  Expr,
  FromItem,
  FuncCall,
  Query,
  ResTarget,
  SelectStmt,
  SortBy,
  Statement,
  TypeName,
  WindowDef,
} from "../../../db/sql/mod.ts";
import { parseExpr } from "../../../db/sql/mod.ts";

/** mulberry32: small, fast, and the same sequence for the same seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const L = 0; // every generated node gets location 0; the comparison ignores locations

const names = [
  "a",
  "b",
  "id",
  "user_id",
  "name",
  "value",
  "key",
  "type",
  "data",
  "Mixed",
  "sélect",
  "with space",
  "select",
  "from",
  'q"uote',
  "left",
  "int",
  "x1",
];
const funcNames = [["f"], ["count"], ["pg_catalog", "lower"], ["auth", "uid"], ["now"], ["left"], [
  "coalesce",
], ["s", "t", "u"]];
const binOps = [
  "+",
  "-",
  "*",
  "/",
  "%",
  "^",
  "<",
  ">",
  "=",
  "<=",
  ">=",
  "<>",
  "||",
  "~",
  "!~*",
  "@>",
  "->>",
  "#-",
  "&&",
  "|/",
];
const prefixOps = ["~", "@", "|/", "!!"];
const typeTexts = [
  "int",
  "bigint",
  "smallint",
  "real",
  "double precision",
  "numeric(10, 2)",
  "numeric",
  "boolean",
  "text",
  "varchar(20)",
  "character varying",
  "char(3)",
  "character",
  "bit(4)",
  "bit varying(8)",
  "date",
  "timestamp",
  "timestamp(3) with time zone",
  "time without time zone",
  "timetz",
  "interval",
  "interval day to second(2)",
  "interval(4)",
  "interval year",
  "uuid",
  "jsonb",
  "public.my_type",
  "int[]",
  "text[3][]",
  "integer array",
  '"char"',
  "regclass",
  "float(10)",
  "float(40)",
];
const sqlSyntaxTexts = [
  "extract(epoch from x)",
  "substring(s from 2 for 3)",
  "substring(s for 2)",
  "position('a' in s)",
  "trim(leading 'x' from s)",
  "trim(s)",
  "overlay(s placing 'ab' from 2 for 1)",
  "current_timestamp(2)",
  "localtime",
  "session_user",
  "current_schema",
  "interval '1' day",
  "date '2020-01-01'",
];

/** A random AST generator over one seed. */
export class AstGen {
  readonly #r: () => number;
  readonly #types: TypeName[];
  readonly #sqlSyntax: Expr[];

  constructor(seed: number) {
    this.#r = rng(seed);
    this.#types = typeTexts.map((t) => (parseExpr(`x::${t}`) as { type: TypeName }).type);
    this.#sqlSyntax = sqlSyntaxTexts.map((t) => parseExpr(t));
  }

  int(n: number): number {
    return Math.floor(this.#r() * n);
  }

  chance(p: number): boolean {
    return this.#r() < p;
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }

  name(): string {
    return this.pick(names);
  }

  string(): string {
    const parts = [
      "",
      "a",
      "it's",
      "back\\slash",
      "é",
      "😀",
      "line\nbreak",
      "$$",
      "--",
      "/*",
      "''",
      "\t",
    ];
    let s = "";
    for (let i = this.int(4); i > 0; i--) s += this.pick(parts);
    return s;
  }

  type(): TypeName {
    return structuredClone(this.pick(this.#types));
  }

  literal(): Expr {
    switch (this.int(7)) {
      case 0:
        return { kind: "integer", value: this.int(2000) - 1000, location: L };
      case 1:
        return {
          kind: "numeric",
          value: this.pick(["1.5", "-2.25", "0.001", "12345678901", "1e10", "-3.5e-2"]),
          location: L,
        };
      case 2:
        return { kind: "string", value: this.string(), location: L };
      case 3:
        return { kind: "boolean", value: this.chance(0.5), location: L };
      case 4:
        return { kind: "null", location: L };
      case 5:
        return { kind: "bit_string", value: this.pick(["b0101", "x1F", "b"]), location: L };
      default:
        return { kind: "param", number: 1 + this.int(9), location: L };
    }
  }

  column(): Expr {
    const n = [this.name()];
    if (this.chance(0.3)) n.unshift(this.name());
    return { kind: "column_ref", names: n, star: false, location: L };
  }

  /** A random expression no deeper than `depth`. */
  expr(depth: number): Expr {
    if (depth <= 0 || this.chance(0.2)) {
      return this.chance(0.5)
        ? this.literal()
        : this.chance(0.9)
        ? this.column()
        : structuredClone(this.pick(this.#sqlSyntax));
    }
    const d = depth - 1;
    const e = () => this.expr(d);
    switch (this.int(27)) {
      case 0:
        return {
          kind: "op",
          op: this.pick(binOps),
          schema: null,
          left: e(),
          right: e(),
          location: L,
        };
      case 1: {
        const right = e();
        if (right.kind === "integer" || right.kind === "numeric") return right;
        return {
          kind: "op",
          op: this.pick(prefixOps),
          schema: null,
          left: null,
          right,
          location: L,
        };
      }
      case 2:
        return {
          kind: "op",
          op: this.pick(binOps),
          schema: "pg_catalog",
          left: e(),
          right: e(),
          location: L,
        };
      case 3:
      case 4: {
        const op = this.pick(["and", "or"] as const);
        const args = [e(), e()];
        if (this.chance(0.3)) args.push(e());
        if (args[0]!.kind === "bool" && args[0]!.op === op) {
          args[0] = { kind: "null_test", arg: args[0]!, not: false, location: L };
        }
        return { kind: "bool", op, args, location: L };
      }
      case 5:
        return { kind: "bool", op: "not", args: [e()], location: L };
      case 6:
        return { kind: "null_test", arg: e(), not: this.chance(0.5), location: L };
      case 7:
        return {
          kind: "boolean_test",
          arg: e(),
          test: this.pick(["true", "false", "unknown"] as const),
          not: this.chance(0.5),
          location: L,
        };
      case 8:
        return { kind: "distinct", left: e(), right: e(), not: this.chance(0.5), location: L };
      case 9:
        return {
          kind: "between",
          arg: e(),
          low: e(),
          high: e(),
          not: this.chance(0.5),
          symmetric: this.chance(0.5),
          location: L,
        };
      case 10: {
        const list = [e()];
        if (list[0]!.kind === "sublink" || this.chance(0.6)) list.push(e());
        return { kind: "in_list", arg: e(), list, not: this.chance(0.5), location: L };
      }
      case 11:
        return {
          kind: "like",
          op: this.pick(["like", "ilike", "similar"] as const),
          arg: e(),
          pattern: e(),
          escape: this.chance(0.3) ? e() : null,
          not: this.chance(0.5),
          location: L,
        };
      case 12: {
        let right = e();
        if (right.kind === "sublink") right = { kind: "array", elements: [right], location: L };
        return {
          kind: "op_any_all",
          op: this.pick(binOps),
          schema: null,
          quantifier: this.pick(["any", "all"] as const),
          left: e(),
          right,
          location: L,
        };
      }
      case 13: {
        const type = this.pick(["exists", "any", "all", "expr", "array"] as const);
        const test = type === "any" || type === "all" ? e() : null;
        const op = test === null ? null : this.pick(["=", "<", "<>"]);
        return { kind: "sublink", type, test, op, subquery: this.query(d, 1), location: L };
      }
      case 14:
      case 15:
        return this.funcCall(d);
      case 16:
        return {
          kind: "case",
          arg: this.chance(0.4) ? e() : null,
          whens: [{ kind: "case_when", condition: e(), result: e(), location: L }],
          default: this.chance(0.5) ? e() : null,
          location: L,
        };
      case 17:
        return { kind: "array", elements: this.chance(0.1) ? [] : [e(), e()], location: L };
      case 18: {
        const explicit = this.chance(0.5);
        return {
          kind: "row",
          args: explicit && this.chance(0.2) ? [] : [e(), e()],
          explicit,
          location: L,
        };
      }
      case 19:
        return this.pick([
          { kind: "coalesce", args: [e(), e()], location: L },
          { kind: "min_max", op: "greatest", args: [e()], location: L },
          { kind: "min_max", op: "least", args: [e(), e()], location: L },
          { kind: "nullif", left: e(), right: e(), location: L },
        ] as Expr[]);
      case 20:
        return { kind: "type_cast", arg: e(), type: this.type(), location: L };
      case 21:
        return {
          kind: "indirection",
          arg: e(),
          path: [
            this.pick(
              [
                { kind: "field", name: this.name(), location: L },
                { kind: "subscript", lower: null, upper: e(), slice: false, location: L },
                {
                  kind: "subscript",
                  lower: this.chance(0.5) ? e() : null,
                  upper: this.chance(0.5) ? e() : null,
                  slice: true,
                  location: L,
                },
                { kind: "field_star", location: L },
              ] as const,
            ),
          ],
          location: L,
        };
      case 22:
        return {
          kind: "collate",
          arg: e(),
          collation: this.pick([["C"], ["pg_catalog", "default"], ["en_US"]]),
          location: L,
        };
      case 23:
        return { kind: "at_time_zone", arg: e(), zone: e(), location: L };
      case 24:
        return { kind: "grouping", args: [e()], location: L };
      case 25:
        return {
          kind: "sql_value",
          name: this.pick(
            ["current_date", "current_user", "user", "current_catalog", "localtimestamp"] as const,
          ),
          precision: null,
          location: L,
        };
      default:
        return { kind: "default", location: L };
    }
  }

  funcCall(d: number): FuncCall {
    const f: FuncCall = {
      kind: "func_call",
      name: [...this.pick(funcNames)],
      args: [],
      star: false,
      distinct: false,
      variadic: false,
      orderBy: [],
      withinGroup: false,
      filter: null,
      over: null,
      syntax: "call",
      location: L,
    };
    if (this.chance(0.15)) f.star = true;
    else {
      for (let i = this.int(3); i > 0; i--) f.args.push(this.expr(d));
      if (f.args.length > 0 && this.chance(0.2)) {
        f.args.push({ kind: "named_arg", name: this.name(), arg: this.expr(d), location: L });
      }
      if (f.args.length > 0 && this.chance(0.2)) f.distinct = true;
      else if (f.args.length > 0 && this.chance(0.1)) f.variadic = true;
      if (f.args.length > 0 && this.chance(0.2)) f.orderBy = this.sort(d);
      if (
        f.args.length > 0 && f.orderBy.length === 0 && !f.distinct && !f.variadic &&
        this.chance(0.1)
      ) {
        f.orderBy = this.sort(d);
        f.withinGroup = true;
      }
    }
    if (this.chance(0.2)) f.filter = this.expr(d);
    if (this.chance(0.2)) f.over = this.window(d, null);
    return f;
  }

  sort(d: number): SortBy[] {
    const out: SortBy[] = [];
    for (let i = 1 + this.int(2); i > 0; i--) {
      const dir = this.pick(["default", "asc", "desc", "using"] as const);
      out.push({
        kind: "sort_by",
        expr: this.expr(d),
        direction: dir,
        usingOp: dir === "using" ? this.pick(["<", ">", "~<~"]) : null,
        nulls: this.pick(["default", "first", "last"] as const),
        location: L,
      });
    }
    return out;
  }

  window(d: number, name: string | null): WindowDef {
    if (name === null && this.chance(0.3)) {
      return {
        kind: "window_def",
        name: this.name(),
        refName: null,
        partitionBy: [],
        orderBy: [],
        frame: null,
        location: L,
      };
    }
    const w: WindowDef = {
      kind: "window_def",
      name,
      refName: this.chance(0.2) ? this.name() : null,
      partitionBy: this.chance(0.5) ? [this.expr(d)] : [],
      orderBy: this.chance(0.5) ? this.sort(d) : [],
      frame: null,
      location: L,
    };
    if (this.chance(0.4)) {
      const bound = () => {
        const type = this.pick(
          [
            "unbounded_preceding",
            "preceding",
            "current_row",
            "following",
            "unbounded_following",
          ] as const,
        );
        return {
          kind: "frame_bound" as const,
          type,
          offset: type === "preceding" || type === "following" ? this.expr(d) : null,
          location: L,
        };
      };
      w.frame = {
        kind: "window_frame",
        mode: this.pick(["rows", "range", "groups"] as const),
        start: bound(),
        end: this.chance(0.6) ? bound() : null,
        exclude: this.pick([null, "current_row", "group", "ties", "no_others"] as const),
        location: L,
      };
    }
    return w;
  }

  fromItem(d: number, joins: number): FromItem {
    if (joins > 0 && this.chance(0.4)) {
      const type = this.pick(["inner", "left", "right", "full", "cross"] as const);
      const natural = type !== "cross" && this.chance(0.2);
      const qualified = type !== "cross" && !natural;
      const using = qualified && this.chance(0.4) ? [this.name()] : null;
      return {
        kind: "join",
        type,
        natural,
        left: this.fromItem(d, joins - 1),
        right: this.fromItem(d, joins - 1),
        using,
        usingAlias: using !== null && this.chance(0.3)
          ? { kind: "alias", name: this.name(), columns: [], location: L }
          : null,
        on: qualified && using === null ? this.expr(d) : null,
        alias: this.chance(0.2)
          ? { kind: "alias", name: this.name(), columns: [], location: L }
          : null,
        location: L,
      };
    }
    const alias = {
      kind: "alias" as const,
      name: this.name(),
      columns: this.chance(0.3) ? [this.name()] : [],
      location: L,
    };
    switch (this.int(3)) {
      case 0:
        return {
          kind: "range_subselect",
          lateral: this.chance(0.3),
          query: this.query(d, 1),
          alias,
          location: L,
        };
      case 1:
        return {
          kind: "range_function",
          lateral: this.chance(0.3),
          rowsFrom: false,
          functions: [{
            ...this.funcCall(0),
            filter: null,
            over: null,
            withinGroup: false,
            orderBy: [],
          }],
          ordinality: this.chance(0.3),
          alias: this.chance(0.7) ? alias : null,
          columnDefs: null,
          location: L,
        };
      default:
        return {
          kind: "range_var",
          catalog: null,
          schema: this.chance(0.3) ? this.name() : null,
          name: this.name(),
          only: this.chance(0.1),
          alias: this.chance(0.5) ? alias : null,
          location: L,
        };
    }
  }

  select(d: number): SelectStmt {
    const targets: ResTarget[] = [];
    for (let i = 1 + this.int(3); i > 0; i--) {
      targets.push({
        kind: "res_target",
        expr: this.expr(d),
        alias: this.chance(0.4) ? this.name() : null,
        location: L,
      });
    }
    const s: SelectStmt = {
      kind: "select",
      distinct: this.chance(0.2) ? (this.chance(0.5) ? [] : [this.expr(d)]) : null,
      targets,
      into: null,
      from: this.chance(0.7) ? [this.fromItem(d, 2)] : [],
      where: this.chance(0.5) ? this.expr(d) : null,
      groupBy: [],
      groupByDistinct: false,
      having: null,
      windows: [],
      with: null,
      orderBy: [],
      limit: null,
      offset: null,
      withTies: false,
      locking: [],
      location: L,
    };
    if (this.chance(0.3)) {
      s.groupBy = [this.expr(d)];
      if (this.chance(0.5)) {
        s.groupBy.push(this.pick(
          [
            { kind: "grouping_set", type: "empty", items: [], location: L },
            { kind: "grouping_set", type: "rollup", items: [this.expr(d)], location: L },
            {
              kind: "grouping_set",
              type: "cube",
              items: [this.expr(d), this.expr(d)],
              location: L,
            },
            {
              kind: "grouping_set",
              type: "sets",
              items: [this.expr(d), {
                kind: "grouping_set",
                type: "empty",
                items: [],
                location: L,
              }],
              location: L,
            },
          ] as const,
        ));
      }
      s.groupByDistinct = this.chance(0.2);
      if (this.chance(0.5)) s.having = this.expr(d);
    }
    if (this.chance(0.15)) s.windows = [this.window(d, this.name())];
    return s;
  }

  /** A random query: SELECT, VALUES or a set operation, with trailing clauses. */
  query(depth: number, level = 0): Query {
    const d = Math.max(0, depth - 1);
    let q: Query;
    const k = this.int(10);
    if (k < 6 || level > 2) q = this.select(d);
    else if (k < 7) {
      q = {
        kind: "values",
        rows: [[this.expr(d), this.expr(d)]],
        with: null,
        orderBy: [],
        limit: null,
        offset: null,
        withTies: false,
        locking: [],
        location: L,
      };
    } else {
      q = {
        kind: "set_operation",
        op: this.pick(["union", "intersect", "except"] as const),
        all: this.chance(0.5),
        left: this.query(d, level + 1),
        right: this.query(d, level + 1),
        with: null,
        orderBy: [],
        limit: null,
        offset: null,
        withTies: false,
        locking: [],
        location: L,
      };
    }
    if (this.chance(0.3)) q.orderBy = this.sort(d);
    if (this.chance(0.2)) {
      q.limit = this.expr(0);
      q.withTies = q.orderBy.length > 0 && this.chance(0.3);
    }
    if (this.chance(0.2)) q.offset = this.expr(0);
    if (this.chance(0.1)) {
      q.locking = [{
        kind: "locking",
        strength: this.pick(["update", "share", "no_key_update", "key_share"] as const),
        of: [],
        wait: this.pick(["block", "nowait", "skip_locked"] as const),
        location: L,
      }];
    }
    if (this.chance(0.15)) {
      q.with = {
        kind: "with",
        recursive: this.chance(0.3),
        ctes: [{
          kind: "cte",
          name: this.name(),
          columns: this.chance(0.3) ? [this.name()] : [],
          materialized: this.pick(["default", "always", "never"] as const),
          query: this.query(d, level + 1),
          location: L,
        }],
        location: L,
      };
    }
    return q;
  }

  /** A random statement: a query or a data-modifying statement. */
  statement(depth: number): Statement {
    const rel = {
      kind: "range_var" as const,
      catalog: null,
      schema: this.chance(0.3) ? this.name() : null,
      name: this.name(),
      only: false,
      alias: null,
      location: L,
    };
    const returning = this.chance(0.3)
      ? [{ kind: "res_target" as const, expr: this.expr(1), alias: null, location: L }]
      : [];
    switch (this.int(5)) {
      case 0: {
        const query = this.chance(0.1) ? null : this.query(depth);
        return {
          kind: "insert",
          with: null,
          relation: rel,
          columns: query !== null && this.chance(0.5)
            ? [{ kind: "target_column", name: this.name(), indirection: [], location: L }]
            : [],
          overriding: query === null ? null : this.pick([null, "system", "user"] as const),
          query,
          onConflict: this.chance(0.3)
            ? {
              kind: "on_conflict",
              target: {
                kind: "columns",
                columns: [{
                  kind: "index_elem",
                  column: this.name(),
                  expr: null,
                  collation: null,
                  opclass: null,
                  ordering: "default",
                  nulls: "default",
                  location: L,
                }],
                where: null,
              },
              action: "update",
              set: [{
                kind: "set_column",
                column: { kind: "target_column", name: this.name(), indirection: [], location: L },
                value: this.expr(1),
                location: L,
              }],
              where: this.chance(0.5) ? this.expr(1) : null,
              location: L,
            }
            : null,
          returning,
          location: L,
        };
      }
      case 1:
        return {
          kind: "update",
          with: null,
          relation: rel,
          set: [
            {
              kind: "set_column",
              column: { kind: "target_column", name: this.name(), indirection: [], location: L },
              value: this.expr(depth),
              location: L,
            },
            {
              kind: "set_multi",
              columns: [
                { kind: "target_column", name: this.name(), indirection: [], location: L },
                { kind: "target_column", name: this.name(), indirection: [], location: L },
              ],
              value: {
                kind: "row",
                args: [this.expr(1), this.expr(1)],
                explicit: false,
                location: L,
              },
              location: L,
            },
          ],
          from: this.chance(0.3) ? [this.fromItem(1, 1)] : [],
          where: this.chance(0.7) ? this.expr(depth) : null,
          returning,
          location: L,
        };
      case 2:
        return {
          kind: "delete",
          with: null,
          relation: rel,
          using: this.chance(0.3) ? [this.fromItem(1, 1)] : [],
          where: this.chance(0.7) ? this.expr(depth) : null,
          returning,
          location: L,
        };
      default:
        return this.query(depth);
    }
  }
}
