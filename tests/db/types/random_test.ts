/**
 * @module Seeded random differential tests: numeric arithmetic (scales, division, rounding,
 * power, sqrt, ln, exp), integer overflow at every width, float formatting (shortest round-trip)
 * and date/timestamp arithmetic. The seed is printed on failure; BKG_TYPES_RANDOM_CASES sets how
 * many cases each family gets (default 300).
 */
import {
  defaultEvalContext,
  inputText,
  invokeFunction,
  invokeOperator,
  lookupTypeName,
  outputText,
  resolveFunction,
  resolveOperator,
} from "../../../db/types/mod.ts";
import { seededRandom } from "../../../db/types/context.ts";
import { Diff, lit, Oracle, ours } from "./oracle.ts";

const count = Number(Deno.env.get("BKG_TYPES_RANDOM_CASES") ?? "300");
const seed = Number(Deno.env.get("BKG_TYPES_SEED") ?? String(Math.floor(Math.random() * 1e6)));

function gen(seedValue: number) {
  const rng = seededRandom(seedValue / 1e6);
  const int = (lo: number, hi: number) => lo + Math.floor(rng.random() * (hi - lo + 1));
  const pick = <T>(xs: T[]) => xs[int(0, xs.length - 1)]!;
  const digits = (n: number) =>
    Array.from({ length: n }, () => String(int(0, 9))).join("").replace(/^0+(?=\d)/, "");
  const numeric = () => {
    const s = (rng.random() < 0.3 ? "-" : "") + digits(int(1, 12)) +
      (rng.random() < 0.7 ? "." + digits(int(1, 8)).padEnd(1, "0") : "");
    return rng.random() < 0.05 ? "0" : s;
  };
  return { rng, int, pick, digits, numeric };
}

Deno.test(`seeded random arithmetic matches PostgreSQL (seed ${seed})`, async () => {
  const pg = await Oracle.start();
  const ctx = defaultEvalContext({ timeZone: "Europe/Berlin" });
  const g = gen(seed);
  try {
    const diff = new Diff();
    const pending: Promise<void>[] = [];
    const binary = (op: string, a: string, at: string, b: string, bt: string) => {
      const ta = lookupTypeName(at)!;
      const tb = lookupTypeName(bt)!;
      const got = ours(() => {
        const r = resolveOperator(op, ta, tb);
        const v = invokeOperator(r, [inputText(ta, a, -1, ctx), inputText(tb, b, -1, ctx)], [
          ta,
          tb,
        ], ctx);
        return v === null ? null : outputText(r.resultType, v, ctx);
      });
      const expr = `(${lit(a)}::${at}) ${op} (${lit(b)}::${bt})`;
      pending.push(
        pg.out(expr, "Europe/Berlin").then((want) =>
          diff.check(`[seed ${seed}] ${expr}`, got, want)
        ),
      );
    };
    const call = (name: string, args: [string, string][]) => {
      const types = args.map(([, t]) => lookupTypeName(t)!);
      const got = ours(() => {
        const r = resolveFunction(name, types);
        if ("coercion" in r) throw new Error("coercion");
        const v = invokeFunction(
          r,
          args.map(([a], k) => inputText(types[k]!, a, -1, ctx)),
          types,
          ctx,
        );
        return v === null ? null : outputText(r.resultType, v, ctx);
      });
      const expr = `${name}(${args.map(([a, t]) => `${lit(a)}::${t}`).join(", ")})`;
      pending.push(
        pg.out(expr, "Europe/Berlin").then((want) =>
          diff.check(`[seed ${seed}] ${expr}`, got, want)
        ),
      );
    };
    for (let k = 0; k < count; k++) {
      binary(g.pick(["+", "-", "*", "/", "%"]), g.numeric(), "numeric", g.numeric(), "numeric");
      const w = g.pick(["smallint", "integer", "bigint"]);
      const bound = w === "smallint" ? 32767 : w === "integer" ? 2147483647 : 9007199254740991;
      const big = () => String((g.rng.random() < 0.5 ? -1 : 1) * g.int(0, bound));
      binary(
        g.pick(["+", "-", "*", "/", "%"]),
        big(),
        w,
        String(g.int(-70000, 70000) || 1),
        g.pick(["smallint", "integer", "bigint"]).replace(
          /smallint/,
          g.rng.random() < 0.5 ? "smallint" : "integer",
        ),
      );
      const f = (g.rng.random() - 0.5) * 10 ** g.int(-30, 30);
      binary(
        "*",
        String(f),
        "double precision",
        String(g.rng.random() * 10 ** g.int(-10, 10)),
        "double precision",
      );
      binary("+", String(Math.fround(f)), "real", "0", "real");
      const day = `${g.int(1900, 2100)}-${String(g.int(1, 12)).padStart(2, "0")}-${
        String(g.int(1, 28)).padStart(2, "0")
      }`;
      const iv = `${g.int(-30, 30)} mons ${g.int(-100, 100)} days ${g.int(-48, 48)}:${
        String(g.int(0, 59)).padStart(2, "0")
      }:00`;
      binary(
        g.pick(["+", "-"]),
        `${day} ${g.int(0, 23)}:${g.int(0, 59)}:${g.int(0, 59)}.${g.int(0, 999999)}`,
        g.pick(["timestamp", "timestamptz"]),
        iv,
        "interval",
      );
      binary("-", day, "date", `${g.int(1900, 2100)}-0${g.int(1, 9)}-1${g.int(0, 9)}`, "date");
      binary(
        "-",
        `${day} 10:00`,
        "timestamptz",
        `${g.int(1990, 2030)}-03-2${g.int(0, 9)} 0${g.int(0, 9)}:00`,
        "timestamptz",
      );
      if (k % 3 === 0) {
        const x = g.numeric().replace("-", "");
        call(g.pick(["sqrt", "ln", "exp", "log10"]), [[
          x === "0" ? "2" : x.length > 8 && g.rng.random() < 0.5 ? x.slice(0, 3) : x,
          "numeric",
        ]]);
        call("round", [[g.numeric(), "numeric"], [String(g.int(-3, 6)), "integer"]]);
        binary("^", g.numeric().replace("-", ""), "numeric", String(g.int(-12, 12)), "numeric");
        call("age", [[`${day} 12:00`, "timestamp"], [
          `${g.int(1950, 2050)}-0${g.int(1, 9)}-${g.int(10, 28)} 0${g.int(0, 9)}:30`,
          "timestamp",
        ]]);
      }
    }
    await Promise.all(pending);
    diff.done(count * 7);
  } finally {
    await pg.stop();
  }
});
