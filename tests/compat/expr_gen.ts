/**
 * @module The seeded generator of random scalar expressions over typed columns: integers that
 * overflow, numerics, floats, text with LIKE and regular expressions, dates, timestamps and
 * intervals, booleans with NULLs, CASE/COALESCE/NULLIF/GREATEST/LEAST, comparisons and casts.
 * Every expression is well typed (PostgreSQL must not answer with a 42xxx error); evaluation
 * errors (22003, 22012, 22P02, 22008 …) are expected and compared like results.
 */
import { Rng } from "./rng.ts";

/** The expression types the generator knows. */
export type GenType =
  | "int"
  | "numeric"
  | "float"
  | "text"
  | "bool"
  | "date"
  | "timestamp"
  | "interval";

/** The table every generated expression reads: one row per interesting value set. */
export const genSchema = [
  `CREATE TABLE gen_t (id int PRIMARY KEY, i2 smallint, i4 int, i8 bigint, n numeric, f8 float8,
     f4 real, t text, vc varchar(8), b boolean, d date, ts timestamp, iv interval)`,
  `INSERT INTO gen_t VALUES
     (1, 1, 7, 100, 2.50, 0.5, 1.25, 'abc', 'x', true, '2024-01-31', '2024-01-31 10:30:00', '1 day'),
     (2, -3, -2147483648, 9223372036854775807, -0.001, -1e10, 3.4e38, 'Hello World', 'a_b%c', false,
      '2000-02-29', '1999-12-31 23:59:59.5', '-2 hours 30 minutes'),
     (3, 0, 0, 0, 0, 0, 0, '', '', NULL, '1970-01-01', '1970-01-01 00:00:00', '0'),
     (4, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
     (5, 32767, 2147483647, -9223372036854775807, 123456789.123456789, 'NaN', 'Infinity', '42',
      '  pad  ', true, '2024-12-31', '2024-02-29 12:00:00', '1 month 3 days'),
     (6, -32768, 13, -5, 1e-5, 2.5, -0.1, 'ÅÉÎ ünï', 'ABC', false, '1999-01-01',
      '2038-01-19 03:14:07', '36 hours'),
     (7, 5, -7, 3, -17.25, 1.5e-300, 1e-30, 'a.b*c', '12', true, 'infinity', '-infinity', '-1 year')`,
];

const columns: Record<GenType, string[]> = {
  int: ["i2", "i4", "i8", "id"],
  numeric: ["n"],
  float: ["f8", "f4"],
  text: ["t", "vc"],
  bool: ["b"],
  date: ["d"],
  timestamp: ["ts"],
  interval: ["iv"],
};

const numericTypes: GenType[] = ["int", "numeric", "float"];

/** Builds random expressions; `maxDepth` bounds the tree. */
export class ExprGen {
  constructor(readonly rng: Rng, readonly maxDepth = 4) {}

  /** A random expression of a random type. */
  any(): string {
    return this.expr(this.rng.pick(Object.keys(columns) as GenType[]), 0);
  }

  expr(type: GenType, depth: number): string {
    if (depth >= this.maxDepth || this.rng.chance(0.25 + depth * 0.1)) return this.leaf(type);
    switch (type) {
      case "int":
        return this.intExpr(depth + 1);
      case "numeric":
        return this.numericExpr(depth + 1);
      case "float":
        return this.floatExpr(depth + 1);
      case "text":
        return this.textExpr(depth + 1);
      case "bool":
        return this.boolExpr(depth + 1);
      case "date":
        return this.dateExpr(depth + 1);
      case "timestamp":
        return this.timestampExpr(depth + 1);
      case "interval":
        return this.intervalExpr(depth + 1);
    }
  }

  leaf(type: GenType): string {
    const r = this.rng;
    if (r.chance(0.7)) return r.pick(columns[type]);
    if (r.chance(0.08)) return `NULL::${sqlType(type)}`;
    switch (type) {
      case "int":
        return r.pick([
          "0",
          "1",
          "-1",
          "2",
          "7",
          "100",
          "2147483647",
          "-2147483648",
          "32767",
          "9223372036854775807",
        ]);
      case "numeric":
        return r.pick(["0.5", "1.25", "-3.75", "0.00", "100.001", "1e-3", "99999999999.99"]);
      case "float":
        return r.pick([
          "0.5::float8",
          "1e300::float8",
          "'NaN'::float8",
          "'-Infinity'::float8",
          "3.0::real",
          "-0.0::float8",
        ]);
      case "text":
        return r.pick([
          "'abc'",
          "''",
          "'A%'",
          "'x_y'",
          "' spaced '",
          "'123'",
          "'-5'",
          "'1.5'",
          "'ü'",
        ]);
      case "bool":
        return r.pick(["true", "false", "NULL::boolean"]);
      case "date":
        return r.pick([
          "date '2024-02-29'",
          "date '1999-12-31'",
          "date '2000-01-01'",
          "date 'infinity'",
        ]);
      case "timestamp":
        return r.pick([
          "timestamp '2024-02-29 23:59:59'",
          "timestamp '2000-01-01 00:00'",
          "timestamp '1969-07-20 20:17:40'",
        ]);
      case "interval":
        return r.pick([
          "interval '1 day'",
          "interval '-3 hours'",
          "interval '1 month'",
          "interval '00:00:01.5'",
          "interval '400 days'",
        ]);
    }
  }

  #num(depth: number): string {
    return this.expr(this.rng.pick(numericTypes), depth);
  }

  #common(type: GenType, depth: number): string | null {
    const r = this.rng;
    const k = r.int(0, 9);
    if (k === 0) {
      return `CASE WHEN ${this.expr("bool", depth)} THEN ${this.expr(type, depth)} ELSE ${
        this.expr(type, depth)
      } END`;
    }
    if (k === 1) return `coalesce(${this.expr(type, depth)}, ${this.expr(type, depth)})`;
    if (k === 2) return `nullif(${this.expr(type, depth)}, ${this.expr(type, depth)})`;
    if (k === 3 && type !== "bool") {
      return `${r.pick(["greatest", "least"])}(${this.expr(type, depth)}, ${
        this.expr(type, depth)
      })`;
    }
    return null;
  }

  intExpr(depth: number): string {
    const c = this.#common("int", depth);
    if (c !== null) return c;
    const r = this.rng;
    const a = () => this.expr("int", depth);
    switch (r.int(0, 11)) {
      case 0:
      case 1:
        return `(${a()} ${r.pick(["+", "-", "*"])} ${a()})`;
      case 2:
        return `(${a()} ${r.pick(["/", "%"])} ${a()})`;
      case 3:
        return `abs(${a()})`;
      case 4:
        return `(- ${a()})`;
      case 5:
        return `length(${this.expr("text", depth)})`;
      case 6:
        return `(${this.#num(depth)})::${r.pick(["int", "smallint", "bigint"])}`;
      case 7:
        return `(${this.expr("text", depth)})::int`;
      case 8:
        return `extract(${r.pick(["year", "month", "day", "dow", "doy"])} FROM ${
          this.expr("date", depth)
        })::int`;
      case 9:
        return `position(${this.expr("text", depth)} IN ${this.expr("text", depth)})`;
      case 10:
        return `(${this.expr("date", depth)} - ${this.expr("date", depth)})`;
      default:
        return `(${a()} ${r.pick(["&", "|", "#"])} ${a()})`;
    }
  }

  numericExpr(depth: number): string {
    const c = this.#common("numeric", depth);
    if (c !== null) return c;
    const r = this.rng;
    const a = () => this.expr(r.pick(["numeric", "int"] as GenType[]), depth);
    switch (r.int(0, 8)) {
      case 0:
      case 1:
        return `(${this.expr("numeric", depth)} ${r.pick(["+", "-", "*"])} ${a()})`;
      case 2:
        return `(${this.expr("numeric", depth)} ${r.pick(["/", "%"])} ${a()})`;
      case 3:
        return `round(${this.expr("numeric", depth)}, ${r.int(-2, 4)})`;
      case 4:
        return `${r.pick(["trunc", "ceil", "floor", "abs", "sign"])}(${
          this.expr("numeric", depth)
        })`;
      case 5:
        return `(${this.#num(depth)})::numeric`;
      case 6:
        return `(${this.#num(depth)})::numeric(${r.int(3, 12)},${r.int(0, 3)})`;
      case 7:
        return `(${this.expr("text", depth)})::numeric`;
      default:
        return `sqrt(abs(${this.expr("numeric", depth)}))`;
    }
  }

  floatExpr(depth: number): string {
    const c = this.#common("float", depth);
    if (c !== null) return c;
    const r = this.rng;
    switch (r.int(0, 6)) {
      case 0:
      case 1:
        return `(${this.expr("float", depth)} ${r.pick(["+", "-", "*", "/"])} ${this.#num(depth)})`;
      case 2:
        return `(${this.#num(depth)})::${r.pick(["float8", "real"])}`;
      case 3:
        return `${r.pick(["abs", "ceil", "floor", "round", "trunc"])}(${
          this.expr("float", depth)
        })`;
      case 4:
        return `sqrt(abs(${this.expr("float", depth)}))`;
      case 5:
        return `(${this.expr("text", depth)})::float8`;
      default:
        return `(${this.expr("float", depth)} ^ ${r.pick(["2", "0.5", "-1", "3"])}::float8)`;
    }
  }

  textExpr(depth: number): string {
    const c = this.#common("text", depth);
    if (c !== null) return c;
    const r = this.rng;
    const s = () => this.expr("text", depth);
    switch (r.int(0, 13)) {
      case 0:
        return `(${s()} || ${s()})`;
      case 1:
        return `${
          r.pick(["upper", "lower", "reverse", "initcap", "btrim", "ltrim", "rtrim", "md5"])
        }(${s()})`;
      case 2:
        return `substring(${s()} FROM ${r.int(-1, 4)} FOR ${r.int(0, 5)})`;
      case 3:
        return `replace(${s()}, ${this.leaf("text")}, ${this.leaf("text")})`;
      case 4:
        return `${r.pick(["lpad", "rpad"])}(${s()}, ${r.int(0, 8)}, ${
          r.pick(["'*'", "'ab'", "' '"])
        })`;
      case 5:
        return `(${this.#num(depth)})::text`;
      case 6:
        return `split_part(${s()}, ${r.pick(["' '", "'b'", "'.'"])}, ${r.int(1, 3)})`;
      case 7:
        return `${r.pick(["left", "right"])}(${s()}, ${r.int(-3, 4)})`;
      case 8:
        return `to_char(${this.expr("date", depth)}, ${
          r.pick(["'YYYY-MM-DD'", "'DD Mon YYYY'", "'FMMonth D'", "'YYYY-\"Q\"Q'"])
        })`;
      case 9:
        return `(${
          this.expr(r.pick(["date", "timestamp", "interval", "bool"] as GenType[]), depth)
        })::text`;
      case 10:
        return `regexp_replace(${s()}, ${r.pick(["'[a-c]'", "'\\s+'", "'^(.)'", "'[0-9]+'"])}, ${
          r.pick(["'#'", "''", "'<\\1>'"])
        }${r.chance(0.5) ? ", 'g'" : ""})`;
      case 11:
        return `(${s()})::varchar(${r.int(1, 4)})`;
      case 12:
        return `concat_ws(${r.pick(["','", "'-'"])}, ${s()}, ${this.#num(depth)}, ${s()})`;
      default:
        return `format('%s|%s', ${s()}, ${this.#num(depth)})`;
    }
  }

  boolExpr(depth: number): string {
    const c = this.#common("bool", depth);
    if (c !== null) return c;
    const r = this.rng;
    const cmp = () => r.pick(["=", "<>", "<", "<=", ">", ">="]);
    switch (r.int(0, 12)) {
      case 0:
        return `(${this.#num(depth)} ${cmp()} ${this.#num(depth)})`;
      case 1: {
        const t = r.pick(["text", "date", "timestamp", "interval", "bool"] as GenType[]);
        return `(${this.expr(t, depth)} ${cmp()} ${this.expr(t, depth)})`;
      }
      case 2:
        return `(${this.expr("bool", depth)} ${r.pick(["AND", "OR"])} ${this.expr("bool", depth)})`;
      case 3:
        return `(NOT ${this.expr("bool", depth)})`;
      case 4: {
        const t = r.pick(["int", "text", "date", "bool"] as GenType[]);
        return `(${this.expr(t, depth)} ${r.pick(["IS NULL", "IS NOT NULL"])})`;
      }
      case 5:
        return `(${this.expr("bool", depth)} ${
          r.pick(["IS TRUE", "IS NOT TRUE", "IS FALSE", "IS UNKNOWN"])
        })`;
      case 6:
        return `(${this.expr("text", depth)} ${
          r.pick(["LIKE", "NOT LIKE", "ILIKE", "NOT ILIKE"])
        } ${r.pick(["'a%'", "'%b%'", "'_'", "'%'", "'A\\%%'", "'h%d'", "''"])})`;
      case 7:
        return `(${this.expr("text", depth)} ${r.pick(["~", "~*", "!~", "!~*"])} ${
          r.pick(["'^a'", "'[0-9]'", "'o w'", "'^$'", "'\\.'", "'(b|c)+'"])
        })`;
      case 8:
        return `(${this.expr("text", depth)} SIMILAR TO ${
          r.pick(["'%(b|c)%'", "'[0-9]+'", "'a%'", "'_*'"])
        })`;
      case 9: {
        const t = r.pick(["int", "text", "bool", "date"] as GenType[]);
        return `(${this.expr(t, depth)} IS ${r.chance(0.5) ? "NOT " : ""}DISTINCT FROM ${
          this.expr(t, depth)
        })`;
      }
      case 10:
        return `(${this.#num(depth)} ${r.chance(0.3) ? "NOT " : ""}BETWEEN ${
          r.chance(0.3) ? "SYMMETRIC " : ""
        }${this.#num(depth)} AND ${this.#num(depth)})`;
      case 11:
        return `(${this.expr("int", depth)} ${r.chance(0.3) ? "NOT " : ""}IN (${
          this.leaf("int")
        }, ${this.leaf("int")}, ${this.expr("int", depth)}))`;
      default:
        return `(${this.expr("text", depth)})::boolean`;
    }
  }

  dateExpr(depth: number): string {
    const c = this.#common("date", depth);
    if (c !== null) return c;
    const r = this.rng;
    switch (r.int(0, 4)) {
      case 0:
        return `(${this.expr("date", depth)} ${r.pick(["+", "-"])} (${
          this.expr("int", depth)
        })::int)`;
      case 1:
        return `date_trunc(${r.pick(["'month'", "'year'", "'week'", "'quarter'"])}, ${
          this.expr("date", depth)
        })::date`;
      case 2:
        return `(${this.expr("timestamp", depth)})::date`;
      case 3:
        return `(${this.expr("text", depth)})::date`;
      default:
        return `(${this.expr("date", depth)} + ${this.expr("interval", depth)})::date`;
    }
  }

  timestampExpr(depth: number): string {
    const c = this.#common("timestamp", depth);
    if (c !== null) return c;
    const r = this.rng;
    switch (r.int(0, 4)) {
      case 0:
        return `(${this.expr("timestamp", depth)} ${r.pick(["+", "-"])} ${
          this.expr("interval", depth)
        })`;
      case 1:
        return `date_trunc(${r.pick(["'hour'", "'day'", "'month'", "'minute'", "'year'"])}, ${
          this.expr("timestamp", depth)
        })`;
      case 2:
        return `(${this.expr("date", depth)})::timestamp`;
      case 3:
        return `(${this.expr("date", depth)} + ${
          r.pick(["time '12:34:56'", "time '00:00'", "time '23:59:59.999'"])
        })`;
      default:
        return `(${this.expr("text", depth)})::timestamp`;
    }
  }

  intervalExpr(depth: number): string {
    const c = this.#common("interval", depth);
    if (c !== null) return c;
    const r = this.rng;
    switch (r.int(0, 4)) {
      case 0:
        return `(${this.expr("interval", depth)} ${r.pick(["+", "-"])} ${
          this.expr("interval", depth)
        })`;
      case 1:
        return `(${this.expr("interval", depth)} ${r.pick(["*", "/"])} ${this.#num(depth)})`;
      case 2:
        return `(${this.expr("timestamp", depth)} - ${this.expr("timestamp", depth)})`;
      case 3:
        return `${r.pick(["justify_hours", "justify_days", "justify_interval"])}(${
          this.expr("interval", depth)
        })`;
      default:
        return `(- ${this.expr("interval", depth)})`;
    }
  }
}

/** The SQL type name of a generator type. */
export function sqlType(t: GenType): string {
  const names: Record<GenType, string> = {
    int: "int",
    numeric: "numeric",
    float: "float8",
    text: "text",
    bool: "boolean",
    date: "date",
    timestamp: "timestamp",
    interval: "interval",
  };
  return names[t];
}

/** The query a generated expression becomes: every row of gen_t, in id order. */
export function exprQuery(expr: string): string {
  return `SELECT id, ${expr} AS v FROM gen_t ORDER BY id`;
}
