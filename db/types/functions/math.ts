/**
 * @module Mathematical functions: abs, ceil/floor, round (half-even for float as rint, half away
 * from zero for numeric), trunc, sign, sqrt/cbrt, exp/ln/log/log10, power, mod/div, pi, degrees,
 * radians, trigonometry, random/setseed, gcd/lcm, width_bucket, factorial, scale, trim_scale,
 * with PostgreSQL's result types and errors.
 */
import { DbError, SqlState } from "../../sqlstate.ts";
import { rint } from "../interval.ts";
import { Numeric } from "../numeric.ts";
import { numericExp, numericLn, numericLog } from "../numeric_math.ts";
import { Oid } from "../oids.ts";
import { floatPower, numericPower } from "../operators.ts";
import { defineFunction } from "./registry.ts";

const F = Oid.float8;
const N = Oid.numeric;
const I = Oid.int4;
const num = (v: unknown) => v as Numeric;
const f = (v: unknown) => v as number;

function range(what: string): DbError {
  return new DbError(SqlState.numericValueOutOfRange, `${what} out of range`);
}

function floatResult(r: number, inputs: number[]): number {
  if (!Number.isFinite(r) && !Number.isNaN(r) && inputs.every(Number.isFinite)) {
    throw new DbError(SqlState.numericValueOutOfRange, "value out of range: overflow");
  }
  return r;
}

defineFunction("abs", [Oid.int2], Oid.int2, ([a]) => {
  if (a === -32768) throw range("smallint");
  return Math.abs(f(a));
});
defineFunction("abs", [I], I, ([a]) => {
  if (a === -2147483648) throw range("integer");
  return Math.abs(f(a));
});
defineFunction("abs", [Oid.int8], Oid.int8, ([a]) => {
  const v = a as bigint;
  if (v === -9223372036854775808n) throw range("bigint");
  return v < 0n ? -v : v;
});
defineFunction("abs", [Oid.float4], Oid.float4, ([a]) => Math.abs(f(a)));
defineFunction("abs", [F], F, ([a]) => Math.abs(f(a)));
defineFunction("abs", [N], N, ([a]) => num(a).abs());
for (const name of ["ceil", "ceiling"]) {
  defineFunction(name, [F], F, ([a]) => Math.ceil(f(a)));
  defineFunction(name, [N], N, ([a]) => num(a).ceil());
}
defineFunction("floor", [F], F, ([a]) => Math.floor(f(a)));
defineFunction("floor", [N], N, ([a]) => num(a).floor());
defineFunction("round", [F], F, ([a]) => {
  const v = f(a);
  if (!Number.isFinite(v)) return v;
  const r = rint(v);
  return r === 0 && (v < 0 || Object.is(v, -0)) ? -0 : r;
});
defineFunction("round", [N], N, ([a]) => num(a).round(0));
defineFunction("round", [N, I], N, ([a, s]) => roundScale(num(a), f(s)));
defineFunction("trunc", [F], F, ([a]) => Math.trunc(f(a)));
defineFunction("trunc", [N], N, ([a]) => num(a).trunc(0));
defineFunction("trunc", [N, I], N, ([a, s]) => num(a).trunc(Math.max(-1000, Math.min(1000, f(s)))));

function roundScale(n: Numeric, s: number): Numeric {
  const scale = Math.max(-1000, Math.min(1000, s));
  return n.round(scale);
}

defineFunction(
  "sign",
  [F],
  F,
  // float8 sign() compares with 0, so NaN (neither above nor below) gives 0.
  ([a]) => (f(a) > 0 ? 1 : f(a) < 0 ? -1 : 0),
);
defineFunction(
  "sign",
  [N],
  N,
  ([a]) => (num(a).isNaN() ? Numeric.NaN : new Numeric(BigInt(num(a).sign()))),
);
defineFunction("sqrt", [F], F, ([a]) => {
  if (f(a) < 0) {
    throw new DbError(
      SqlState.invalidArgumentForPowerFunction,
      "cannot take square root of a negative number",
    );
  }
  return Math.sqrt(f(a));
});
defineFunction("sqrt", [N], N, ([a]) => num(a).sqrt());
defineFunction("cbrt", [F], F, ([a]) => glibcCbrt(f(a)));
defineFunction("exp", [F], F, ([a]) => {
  const r = Math.exp(f(a));
  if (r === 0 && Number.isFinite(f(a))) {
    throw new DbError(SqlState.numericValueOutOfRange, "value out of range: underflow");
  }
  return floatResult(r, [f(a)]);
});
defineFunction("exp", [N], N, ([a]) => numericExp(num(a)));

function floatLog(v: number, fn: (x: number) => number): number {
  if (v === 0) {
    throw new DbError(SqlState.invalidArgumentForLogarithm, "cannot take logarithm of zero");
  }
  if (v < 0) {
    throw new DbError(
      SqlState.invalidArgumentForLogarithm,
      "cannot take logarithm of a negative number",
    );
  }
  return fn(v);
}
defineFunction("ln", [F], F, ([a]) => floatLog(f(a), Math.log));
defineFunction("ln", [N], N, ([a]) => numericLn(num(a)));
for (const name of ["log", "log10"]) {
  defineFunction(name, [F], F, ([a]) => floatLog(f(a), Math.log10));
  defineFunction(name, [N], N, ([a]) => numericLog(new Numeric(10n), num(a)));
}
defineFunction("log", [N, N], N, ([b, x]) => numericLog(num(b), num(x)));
for (const name of ["power", "pow"]) {
  defineFunction(name, [F, F], F, ([a, b]) => floatPower(f(a), f(b)));
  defineFunction(name, [N, N], N, ([a, b]) => numericPower(num(a), num(b)));
}
defineFunction("mod", [Oid.int2, Oid.int2], Oid.int2, ([a, b]) => {
  if (b === 0) throw new DbError(SqlState.divisionByZero, "division by zero");
  return (f(a) % f(b)) + 0;
});
defineFunction("mod", [I, I], I, ([a, b]) => {
  if (b === 0) throw new DbError(SqlState.divisionByZero, "division by zero");
  return (f(a) % f(b)) + 0;
});
defineFunction("mod", [Oid.int8, Oid.int8], Oid.int8, ([a, b]) => {
  if (b === 0n) throw new DbError(SqlState.divisionByZero, "division by zero");
  return (a as bigint) % (b as bigint);
});
defineFunction("mod", [N, N], N, ([a, b]) => num(a).mod(num(b)));
defineFunction("div", [N, N], N, ([a, b]) => num(a).divTrunc(num(b)));
defineFunction("pi", [], F, () => Math.PI);
defineFunction("degrees", [F], F, ([a]) => f(a) * (180 / Math.PI));
defineFunction("radians", [F], F, ([a]) => f(a) * (Math.PI / 180));

function domain(v: number, lo: number, hi: number): number {
  if (v < lo || v > hi) throw new DbError(SqlState.numericValueOutOfRange, "input is out of range");
  return v;
}
const trig: [string, (x: number) => number][] = [
  ["sin", (x) => Math.sin(Number.isFinite(x) ? x : domain(NaN, 0, 0))],
  ["cos", (x) => Math.cos(Number.isFinite(x) ? x : domain(NaN, 0, 0))],
  ["tan", (x) => Math.tan(Number.isFinite(x) ? x : domain(NaN, 0, 0))],
  ["cot", (x) => 1 / Math.tan(x)],
  ["asin", (x) => Math.asin(domain(x, -1, 1))],
  ["acos", (x) => Math.acos(domain(x, -1, 1))],
  ["atan", Math.atan],
  ["sinh", Math.sinh],
  ["cosh", Math.cosh],
  ["tanh", Math.tanh],
  ["asinh", Math.asinh],
  ["acosh", (x) => Math.acosh(domain(x, 1, Infinity))],
  ["atanh", (x) => Math.atanh(domain(x, -1, 1))],
];
for (const [name, fn] of trig) {
  defineFunction(name, [F], F, ([a]) => (Number.isNaN(f(a)) ? NaN : fn(f(a))));
}
defineFunction("atan2", [F, F], F, ([a, b]) => Math.atan2(f(a), f(b)));
const deg = Math.PI / 180;
defineFunction("sind", [F], F, ([a]) => Math.round(Math.sin(f(a) * deg) * 1e15) / 1e15);
defineFunction("cosd", [F], F, ([a]) => Math.round(Math.cos(f(a) * deg) * 1e15) / 1e15);
defineFunction("random", [], F, (_a, ctx) => ctx.random(), { volatility: "v" });
defineFunction("setseed", [F], Oid.void, ([s], ctx) => {
  const v = f(s);
  if (v < -1 || v > 1 || Number.isNaN(v)) {
    throw new DbError(
      SqlState.invalidParameterValue,
      `setseed parameter ${v} is out of allowed range [-1,1]`,
    );
  }
  ctx.setSeed(v);
  return "";
}, { volatility: "v" });

function gcdBig(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}
defineFunction("gcd", [I, I], I, ([a, b]) => {
  const g = gcdBig(BigInt(f(a)), BigInt(f(b)));
  if (g > 2147483647n) throw range("integer");
  return Number(g);
});
defineFunction("gcd", [Oid.int8, Oid.int8], Oid.int8, ([a, b]) => {
  const g = gcdBig(a as bigint, b as bigint);
  if (g > 9223372036854775807n) throw range("bigint");
  return g;
});
defineFunction("lcm", [I, I], I, ([a, b]) => {
  const x = BigInt(f(a));
  const y = BigInt(f(b));
  if (x === 0n || y === 0n) return 0;
  let l = (x / gcdBig(x, y)) * y;
  if (l < 0n) l = -l;
  if (l > 2147483647n) throw range("integer");
  return Number(l);
});
defineFunction("lcm", [Oid.int8, Oid.int8], Oid.int8, ([a, b]) => {
  const x = a as bigint;
  const y = b as bigint;
  if (x === 0n || y === 0n) return 0n;
  let l = (x / gcdBig(x, y)) * y;
  if (l < 0n) l = -l;
  if (l > 9223372036854775807n) throw range("bigint");
  return l;
});
defineFunction("width_bucket", [F, F, F, I], I, ([op, lo, hi, n]) => {
  const count = f(n);
  const x = f(op);
  const b1 = f(lo);
  const b2 = f(hi);
  if (count <= 0) {
    throw new DbError(
      SqlState.invalidArgumentForWidthBucketFunction,
      "count must be greater than zero",
    );
  }
  if (b1 === b2) {
    throw new DbError(
      SqlState.invalidArgumentForWidthBucketFunction,
      "lower bound cannot equal upper bound",
    );
  }
  if (Number.isNaN(x) || Number.isNaN(b1) || Number.isNaN(b2)) {
    throw new DbError(
      SqlState.invalidArgumentForWidthBucketFunction,
      "operand, lower bound, and upper bound cannot be NaN",
    );
  }
  if (b1 < b2) {
    if (x < b1) return 0;
    if (x >= b2) return count + 1;
    return Math.floor(((x - b1) / (b2 - b1)) * count) + 1;
  }
  if (x > b1) return 0;
  if (x <= b2) return count + 1;
  return Math.floor(((b1 - x) / (b1 - b2)) * count) + 1;
});
defineFunction("factorial", [Oid.int8], N, ([a]) => {
  const n = a as bigint;
  if (n < 0n) {
    throw new DbError(
      SqlState.numericValueOutOfRange,
      "factorial of a negative number is undefined",
    );
  }
  if (n > 32177n) {
    throw new DbError(SqlState.numericValueOutOfRange, "value overflows numeric format");
  }
  let r = 1n;
  for (let i = 2n; i <= n; i++) r *= i;
  return new Numeric(r);
});
defineFunction("scale", [N], I, ([a]) => (num(a).isFinite() ? num(a).scale : null));
defineFunction("trim_scale", [N], N, ([a]) => num(a).trimScale());
defineFunction("min_scale", [N], I, ([a]) => (num(a).isFinite() ? num(a).trimScale().scale : null));

const cbrtFactor = [
  1 / 1.5874010519681994748,
  1 / 1.2599210498948731648,
  1,
  1.2599210498948731648,
  1.5874010519681994748,
];

/**
 * cbrt() as glibc computes it (sysdeps/ieee754/dbl-64/s_cbrt.c), which PostgreSQL calls: a
 * polynomial guess refined by one Halley step, so cbrt(27) is 3.0000000000000004 there too.
 */
export function glibcCbrt(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return x + x;
  // frexp: |x| = xm * 2^xe with xm in [0.5, 1).
  let xe = Math.floor(Math.log2(Math.abs(x))) + 1;
  let xm = Math.abs(x) / 2 ** xe;
  if (xm >= 1) {
    xm /= 2;
    xe++;
  } else if (xm < 0.5) {
    xm *= 2;
    xe--;
  }
  const u = 0.354895765043919860 +
    (1.50819193781584896 +
        (-2.11499494167371287 +
            (2.44693122563534430 +
                (-1.83469277483613086 + (0.784932344976639262 - 0.145263899385486377 * xm) * xm) *
                  xm) * xm) * xm) * xm;
  const t2 = u * u * u;
  const ym = u * (t2 + 2.0 * xm) / (2.0 * t2 + xm) * cbrtFactor[2 + (xe % 3)]!;
  return (x > 0 ? ym : -ym) * 2 ** Math.trunc(xe / 3);
}
