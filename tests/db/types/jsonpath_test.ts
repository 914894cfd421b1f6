/**
 * @module The jsonpath type and SQL/JSON path evaluation against PostgreSQL 15: the canonical
 * text of hand-picked and seeded random paths, and jsonb_path_query_array over random documents
 * (lax and strict, silent and not; errors compared by SQLSTATE). BKG_JSONPATH_CASES sets how
 * many random cases run (default 300), BKG_TYPES_SEED replays a seed.
 */
import assert from "node:assert/strict";
import { formatJsonb, parseJsonb } from "../../../db/types/json.ts";
import { jsonPathIn } from "../../../db/types/jsonpath_parse.ts";
import { jsonPathQuery } from "../../../db/types/jsonpath_eval.ts";
import { seededRandom } from "../../../db/types/context.ts";
import { Diff, lit, Oracle, ours } from "./oracle.ts";

const count = Number(Deno.env.get("BKG_JSONPATH_CASES") ?? "300");
const seed = Number(Deno.env.get("BKG_TYPES_SEED") ?? String(Math.floor(Math.random() * 1e6)));

function generator(seedValue: number) {
  const rng = seededRandom(seedValue / 1e6);
  const int = (lo: number, hi: number) => lo + Math.floor(rng.random() * (hi - lo + 1));
  const pick = <T>(xs: T[]) => xs[int(0, xs.length - 1)]!;
  const scalar = (): string =>
    pick(["1", "2", "-3", "2.5", '"a"', '"abc"', '"b"', "null", "true", "false", "10"]);
  const doc = (depth: number): string => {
    if (depth === 0 || rng.random() < 0.3) return scalar();
    if (rng.random() < 0.5) {
      return `[${Array.from({ length: int(0, 4) }, () => doc(depth - 1)).join(", ")}]`;
    }
    const keys = ["a", "b", "c"].filter(() => rng.random() < 0.7);
    return `{${keys.map((k) => `"${k}": ${doc(depth - 1)}`).join(", ")}}`;
  };
  const literal = () => pick(["1", "2", '"a"', '"b"', "null", "true", "2.5", "$x"]);
  const predicate = (): string =>
    pick([
      () => `@ ${pick(["==", "!=", "<", ">=", "<>"])} ${literal()}`,
      () => `exists (@.${pick(["a", "b"])})`,
      () => `@ like_regex "^a" ${rng.random() < 0.5 ? 'flag "i"' : ""}`,
      () => `@ starts with "a"`,
      () => `@.${pick(["a", "b"])} > 1 && @ != null`,
      () => `!(@ == 1) || @.c == "b"`,
      () => `(@ > 1) is unknown`,
    ])();
  const accessor = (): string =>
    pick([
      () => `.${pick(["a", "b", "c"])}`,
      () => `."${pick(["a", "b"])}"`,
      () => ".*",
      () => "[*]",
      () => `[${int(0, 3)}]`,
      () => `[${int(0, 1)} to ${pick(["last", "2", "5"])}]`,
      () => pick(["[last]", "[last - 1]", "[$x]", "[0, 2 to last]"]),
      () => pick([".keyvalue()", ".keyvalue().value", ".keyvalue().id", ".value", ".key"]),
      () => pick([".**", ".**{1}", ".**{0 to 1}", ".**{1 to last}"]),
      () => ` ? (${predicate()})`,
      () => `.${pick(["type", "size", "abs", "floor", "ceiling", "double"])}()`,
    ])();
  const path = (): string => {
    let p = `${pick(["", "lax ", "strict "])}$`;
    if (rng.random() < 0.15) p += ".keyvalue()";
    for (let k = int(0, 3); k > 0; k--) p += accessor();
    if (rng.random() < 0.15) {
      p = `${p} ${pick(["+", "-", "*", "/", "%"])} ${pick(["1", "2", "$.a"])}`;
    }
    if (rng.random() < 0.1) p = `-${p}`;
    if (rng.random() < 0.1) p = `${p} ${pick(["==", ">", "<="])} ${literal()}`;
    return p;
  };
  return { doc, path, rng };
}

Deno.test("jsonpath prints PostgreSQL's canonical text and rejects what it rejects", async () => {
  const pg = await Oracle.start();
  try {
    const diff = new Diff();
    const g = generator(seed);
    const fixed = [
      "$.a[1]",
      'strict $.a ? (@ > 1 && @.b like_regex "x" flag "mi")',
      "$.a + 1 * 2",
      "($.a + 1) * 2",
      "-$.a.b",
      "$.**{2 to last}",
      "$[1 to last, 2]",
      "1.5e3",
      '$ ? (exists(@.a)) ? (@ starts with "x")',
      "($.a > 1) is unknown",
      '$"x y"',
      '$."a\\"b\\n"',
      "(1).type()",
      ".5",
      "$.",
      "@.a",
      "last",
      "$ + ",
      '$ ? (@ like_regex "(")',
      '$.datetime("yyyy")',
      "$.a.size() + $.b.abs() % 3",
      "!($ > 1 || $ < 0)",
      "$.a ? (@ == true && @ != null)",
      "strict $.**.keyvalue()",
    ];
    const paths = [...fixed, ...Array.from({ length: count }, () => g.path())];
    await Promise.all(paths.map(async (p) => {
      const got = ours(() => jsonPathIn(p));
      diff.checkCode(`[seed ${seed}] ${p}`, got, await pg.out(`${lit(p)}::jsonpath`));
    }));
    diff.done(paths.length);
  } finally {
    await pg.stop();
  }
});

Deno.test(`jsonb_path_query_array matches PostgreSQL on random documents (seed ${seed})`, async () => {
  const pg = await Oracle.start();
  try {
    const diff = new Diff();
    const g = generator(seed + 1);
    const jobs: Promise<void>[] = [];
    for (let k = 0; k < count; k++) {
      const doc = g.doc(3);
      const path = g.path();
      const silent = g.rng.random() < 0.3;
      const vars = '{"x": 2}';
      const got = ours(() => {
        const r = jsonPathQuery(parseJsonb(doc), jsonPathIn(path), {
          vars: parseJsonb(vars),
          silent,
        });
        return formatJsonb(r);
      });
      const sql = `jsonb_path_query_array(${lit(doc)}, ${lit(path)}, ${lit(vars)}, ${silent})`;
      jobs.push(pg.out(sql).then((want) => diff.checkCode(`[seed ${seed}] ${sql}`, got, want)));
    }
    await Promise.all(jobs);
    diff.done(count);
  } finally {
    await pg.stop();
  }
});

Deno.test("jsonpath text is stable: printing a printed path gives it back", () => {
  const g = generator(seed + 2);
  for (let k = 0; k < 500; k++) {
    const p = g.path();
    let once: string;
    try {
      once = jsonPathIn(p);
    } catch {
      continue;
    }
    assert.equal(jsonPathIn(once), once, `[seed ${seed}] ${p}`);
  }
});
