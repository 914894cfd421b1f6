/**
 * @module Differential tests of operators: resolution (result type via pg_typeof) and value (or
 * SQLSTATE) of `(a::t1) op (b::t2)` for integer overflow, mixed widths, floats, numeric scales,
 * text, LIKE/regex, date/time and interval arithmetic, jsonb and arrays; plus seeded random
 * numeric and integer arithmetic.
 */
import {
  defaultEvalContext,
  formatType,
  inputText,
  invokeOperator,
  lookupTypeName,
  outputText,
  regexMatch,
  resolveOperator,
  similarToEscape,
} from "../../../db/types/mod.ts";
import { Diff, lit, Oracle, ours } from "./oracle.ts";

type Val = [string, string]; // [literal text, sql type]

const ints: Val[] = [
  ["0", "integer"],
  ["7", "integer"],
  ["-7", "integer"],
  ["2147483647", "integer"],
  ["-2147483648", "integer"],
  ["32767", "smallint"],
  ["-32768", "smallint"],
  ["3", "smallint"],
  ["9223372036854775807", "bigint"],
  ["-9223372036854775808", "bigint"],
  ["5", "bigint"],
  ["-1", "integer"],
];
const nums: Val[] = [
  ["2.5", "numeric"],
  ["-1.50", "numeric"],
  ["0", "numeric"],
  ["3", "numeric"],
  ["NaN", "numeric"],
  ["Infinity", "numeric"],
  ["0.001", "numeric"],
  ["123456789.123", "numeric"],
  ["0.1", "double precision"],
  ["-0", "double precision"],
  ["1e308", "double precision"],
  ["NaN", "double precision"],
  ["Infinity", "double precision"],
  ["2", "double precision"],
  ["1.5", "real"],
  ["3e38", "real"],
];
const arith = ["+", "-", "*", "/", "%", "^"];
const cmp = ["=", "<>", "<", "<=", ">", ">="];

const cases: [string, Val, Val][] = [];
for (const a of [...ints, ...nums]) {
  for (const b of [...ints, ...nums]) {
    for (const op of [...arith, "<", "="]) {
      if (op === "^" && !(a[1] === "numeric" || a[1] === "double precision")) continue;
      cases.push([op, a, b]);
    }
  }
}
for (const [a, b] of [["1", "2"], ["-5", "3"], ["2147483647", "1"], ["65535", "16"]]) {
  for (const op of ["&", "|", "#", "<<", ">>"]) cases.push([op, [a!, "integer"], [b!, "integer"]]);
  cases.push([op0("~"), ["0", "integer"], [a!, "integer"]]);
}
function op0(o: string) {
  return o;
}
const texts: Val[] = [
  ["abc", "text"],
  ["ABD", "text"],
  ["", "text"],
  ["ab ", "character(4)"],
  ["ab", "varchar"],
  ["é", "text"],
  ["z", "name"],
];
for (const a of texts) {
  for (const b of texts) for (const op of [...cmp, "||"]) cases.push([op, a, b]);
}
for (
  const [s, p] of [
    ["abc", "a%"],
    ["abc", "_b_"],
    ["abc", "A%"],
    ["a%c", "a\\%c"],
    ["abc", "%"],
    ["", "%"],
    ["abc", "abc\\"],
    ["a_c", "a\\_c"],
    ["ABC", "a_c"],
  ]
) {
  for (const op of ["~~", "!~~", "~~*", "!~~*"]) cases.push([op, [s!, "text"], [p!, "text"]]);
}
for (
  const [s, p] of [
    ["abc", "^a.c$"],
    ["foo bar", "\\mbar"],
    ["ABC", "abc"],
    ["a\nb", "a.b"],
    ["abc", "[[:alpha:]]+"],
    ["x1", "^[[:digit:]]"],
    ["abc", "(?i)ABC"],
    ["abc", "b{1,2}"],
    ["abc", "("],
    ["word here", "\\yhere\\y"],
    ["a.b", "a\\.b"],
  ]
) {
  for (const op of ["~", "!~", "~*", "!~*"]) cases.push([op, [s!, "text"], [p!, "text"]]);
}
cases.push(["||", ["abc", "text"], ["1", "integer"]], ["||", ["1.5", "numeric"], ["x", "text"]], [
  "^@",
  ["alphabet", "text"],
  ["alph", "text"],
]);
cases.push(["||", ["\\x01", "bytea"], ["\\x02ff", "bytea"]]);
// date/time
const dates: Val[] = [["2020-01-31", "date"], ["2020-02-29", "date"], ["infinity", "date"]];
const tss: Val[] = [["2020-01-31 10:00", "timestamp"], ["2020-03-08 01:30", "timestamp"], [
  "2021-02-28 23:59:59.5",
  "timestamp",
]];
const tzs: Val[] = [
  ["2020-01-31 10:00+00", "timestamptz"],
  ["2020-03-07 12:00-05", "timestamptz"],
  ["2020-10-31 12:00+00", "timestamptz"],
];
const ivs: Val[] = [
  ["1 mon", "interval"],
  ["1 day", "interval"],
  ["-1 mon 2 days 03:00", "interval"],
  ["24:00:00", "interval"],
  ["1 year 1.5 hours", "interval"],
];
for (const d of dates) {
  cases.push(["+", d, ["30", "integer"]], ["-", d, ["1", "integer"]], ["-", d, [
    "2020-01-01",
    "date",
  ]], ["+", d, ["12:34", "time"]]);
  for (const i of ivs) cases.push(["+", d, i], ["-", d, i]);
  for (const t of [...tss, ...tzs]) for (const op of ["<", "=", ">="]) cases.push([op, d, t]);
}
for (const t of [...tss, ...tzs]) {
  for (const i of ivs) cases.push(["+", t, i], ["-", t, i], ["+", i, t]);
  for (const u of [...tss, ...tzs]) cases.push(["-", t, u], ["<", t, u]);
}
for (const i of ivs) {
  for (const j of ivs) cases.push(["+", i, j], ["-", i, j], ["<", i, j], ["=", i, j]);
  for (
    const f of [["2", "double precision"], ["0.5", "double precision"], ["3", "integer"], [
      "0",
      "double precision",
    ]] as Val[]
  ) {
    cases.push(["*", i, f], ["/", i, f], ["*", f, i]);
  }
  cases.push(["+", ["10:00", "time"], i], ["-", ["10:00", "time"], i]);
}
cases.push(["=", ["1 mon", "interval"], ["30 days", "interval"]], ["-", ["12:00", "time"], [
  "13:30",
  "time",
]]);
// jsonb / json
const jb = '{"a": {"b": [1, 2, {"c": null}]}, "d": "x", "e": 1.50}';
for (
  const [op, rhs] of [
    ["->", ["a", "text"]],
    ["->>", ["d", "text"]],
    ["->", ["zz", "text"]],
    ["->>", ["e", "text"]],
    ["#>", ["{a,b,2}", "text[]"]],
    ["#>>", ["{a,b,0}", "text[]"]],
    ["#>", ["{a,b,-1,c}", "text[]"]],
    ["?", ["d", "text"]],
    ["?|", ["{x,d}", "text[]"]],
    ["?&", ["{x,d}", "text[]"]],
    ["-", ["a", "text"]],
    ["#-", ["{a,b,0}", "text[]"]],
    ["@>", ['{"d": "x"}', "jsonb"]],
    ["<@", ['{"d": "x"}', "jsonb"]],
    ["||", ['{"d": 2, "f": [true]}', "jsonb"]],
    ["=", [jb, "jsonb"]],
    ["<", ['{"z":1}', "jsonb"]],
  ] as [string, Val][]
) {
  cases.push([op, [jb, "jsonb"], rhs]);
  if (["->", "->>", "#>", "#>>"].includes(op)) {
    cases.push([op, [jb.replace("1.50", "1.5e0"), "json"], rhs]);
  }
}
for (const [a, b] of [["[1,2,3]", "1"], ["[1,2,3]", "-1"], ["[1,2,3]", "5"], ['"s"', "0"]]) {
  cases.push(["->", [a!, "jsonb"], [b!, "integer"]], ["->>", [a!, "jsonb"], [b!, "integer"]], [
    "-",
    [a!, "jsonb"],
    [b!, "integer"],
  ]);
}
for (
  const [a, b] of [
    ["[1,[2,3]]", "[[3]]"],
    ["[1,2]", "1"],
    ['{"a":[1,2]}', '{"a":[2]}'],
    ["1", "[1]"],
    ["[]", "[]"],
    ['["a"]', '"a"'],
    ["{}", "[]"],
  ]
) {
  cases.push(["@>", [a!, "jsonb"], [b!, "jsonb"]], ["||", [a!, "jsonb"], [b!, "jsonb"]], ["<", [
    a!,
    "jsonb",
  ], [b!, "jsonb"]]);
}
// arrays
const arrs: Val[] = [["{1,2,3}", "integer[]"], ["{3,NULL}", "integer[]"], ["{}", "integer[]"], [
  "{{1,2},{3,4}}",
  "integer[]",
], ["{1,2}", "bigint[]"]];
for (const a of arrs) {
  for (const b of arrs) {
    for (const op of ["=", "<", "@>", "<@", "&&", "||"]) cases.push([op, a, b]);
  }
}
cases.push(["||", ["{1,2}", "integer[]"], ["3", "integer"]], ["||", ["0", "integer"], [
  "{1,2}",
  "integer[]",
]], ["||", ["{a}", "text[]"], ["b", "text"]]);

async function step1(pg: Oracle): Promise<void> {
  const ctx = defaultEvalContext({ timeZone: "America/New_York" });
  {
    const diff = new Diff();
    const pending: Promise<void>[] = [];
    for (const [op, [av, at], [bv, bt]] of cases) {
      const prefix = op === "~" && at === "integer" && av === "0";
      const ta = lookupTypeName(at.replace(/\(\d+\)/, ""))!;
      const tb = lookupTypeName(bt.replace(/\(\d+\)/, ""))!;
      const left = prefix ? 0 : ta;
      let resultType = 0;
      const got = ours(() => {
        const res = resolveOperator(op, left, tb);
        resultType = res.resultType;
        const b = inputText(tb, bv, at === "character(4)" || bt === "character(4)" ? 8 : -1, ctx);
        const v = prefix
          ? invokeOperator(res, [b], [tb], ctx)
          : invokeOperator(res, [inputText(ta, av, at === "character(4)" ? 8 : -1, ctx), b], [
            ta,
            tb,
          ], ctx);
        return v === null ? null : outputText(res.resultType, v, ctx);
      });
      const expr = prefix
        ? `${op} (${lit(bv)}::${bt})`
        : `(${lit(av)}::${at}) ${op} (${lit(bv)}::${bt})`;
      pending.push(pg.out(expr, "America/New_York").then((want) => diff.check(expr, got, want)));
      if (resultType !== 0) {
        const typeExpr = `pg_typeof(${expr})`;
        pending.push(
          pg.eval(typeExpr).then((want) => {
            if ("value" in want) diff.check(typeExpr, { value: formatType(resultType) }, want);
          }),
        );
      }
    }
    await Promise.all(pending);
    diff.done(2000);
  }
}

async function step2(pg: Oracle): Promise<void> {
  {
    const diff = new Diff();
    const cases: [string, string, string | null][] = [
      ["abc", "a%", null],
      ["abc", "(a|b)%c", null],
      ["a.c", "a.c", null],
      ["abc", "a.c", null],
      ["abc", "_b_", null],
      ["aaa", "a*", null],
      ["ab", "a+b?", null],
      ["abc", "[a-c]{3}", null],
      ["a%c", "a#%c", "#"],
      ["axc", "a#%c", "#"],
      ["foobar", "%(b|z)ar", null],
      ["x^y", "x^y", null],
      ["a$", "a$", null],
      ["", "%", null],
      ["ABC", "abc", null],
    ];
    for (const [s, p, esc] of cases) {
      const got = ours(() => (regexMatch(s, similarToEscape(p, esc ?? "\\")) ? "t" : "f"));
      const sql = `${lit(s)} similar to ${lit(p)}${esc === null ? "" : ` escape ${lit(esc)}`}`;
      diff.check(sql, got, await pg.out(sql));
    }
    diff.check(
      "similar_to_escape text",
      { value: similarToEscape("a%b_c(d|e)*") },
      await pg.eval("similar_to_escape('a%b_c(d|e)*')"),
    );
    diff.done(15);
  }
}

Deno.test("operators match PostgreSQL (one oracle)", async (t) => {
  const pg = await Oracle.start();
  try {
    await t.step("operators resolve and compute as in PostgreSQL", () => step1(pg));
    await t.step("SIMILAR TO (via similar_to_escape) matches as PostgreSQL's", () => step2(pg));
  } finally {
    await pg.stop();
  }
});
