/**
 * @module Transcendental numeric functions at arbitrary precision, with PostgreSQL 15's result
 * scales: ln, log10, log(b, x), exp and power with a non-integer (or huge) exponent. Computed in
 * bigint fixed point with guard digits (argument reduction by square roots for ln, halving for
 * exp), then rounded half away from zero to the result scale numeric.c would choose.
 */
import { DbError, SqlState } from "../sqlstate.ts";
import {
  divRoundHalfAway,
  isqrt,
  nbaseWeight,
  Numeric,
  numericDisplayScaleMax,
  pow10,
} from "./numeric.ts";

const minSig = 16;

function clampScale(s: number): number {
  return Math.min(numericDisplayScaleMax, Math.max(0, s));
}

/** estimate_ln_dweight: the decimal weight of ln(x). */
function estimateLnDweight(x: Numeric): number {
  if (x.sign() <= 0) return 0;
  if (x.compare(Numeric.parse("0.9")) >= 0 && x.compare(Numeric.parse("1.1")) <= 0) {
    const d = x.sub(Numeric.one);
    if (d.coef === 0n) return 0;
    const digits = (d.coef < 0n ? -d.coef : d.coef).toString().length;
    return digits - 1 - d.scale;
  }
  const w = nbaseWeight(x)!;
  let d = w.first;
  let dweight = w.weight * 4;
  if (w.second !== undefined) {
    d = d * 10000 + w.second;
    dweight -= 4;
  }
  const lnv = Math.log(d) + dweight * 2.302585092994046;
  return Math.trunc(Math.log10(Math.abs(lnv)));
}

/** x as a fixed-point bigint at scale w (x·10^w, truncated). */
function fixed(x: Numeric, w: number): bigint {
  return w >= x.scale ? x.coef * pow10(w - x.scale) : x.coef / pow10(x.scale - w);
}

const ln10Cache = new Map<number, bigint>();

/** ln(v/10^w) for v/10^w in (0.1, 10], fixed point at scale w. */
function lnFixedNear(v: bigint, w: number): bigint {
  const one = pow10(w);
  let k = 0;
  const eps = one / 100n;
  while (v - one > eps || one - v > eps) {
    v = isqrt(v * one);
    k++;
  }
  // ln(v) = 2·atanh(z), z = (v − 1)/(v + 1)
  const z = ((v - one) * one) / (v + one);
  const z2 = (z * z) / one;
  let term = z;
  let sum = 0n;
  for (let n = 1n; term !== 0n; n += 2n) {
    sum += term / n;
    term = (term * z2) / one;
  }
  return (2n * sum) << BigInt(k);
}

function ln10(w: number): bigint {
  let v = ln10Cache.get(w);
  if (v === undefined) {
    v = lnFixedNear(pow10(w + 1), w + 0) + 0n;
    // lnFixedNear reduces 10 by square roots too; it accepts any positive input.
    ln10Cache.set(w, v);
  }
  return v;
}

/** ln(x) as fixed point at scale w (x > 0). */
function lnFixed(x: Numeric, w: number): bigint {
  // x = m · 10^e with m in [0.1, 1): ln x = ln m + e·ln 10
  const digits = (x.coef < 0n ? -x.coef : x.coef).toString().length;
  const e = digits - x.scale;
  const m = new Numeric(x.coef, digits); // value coef / 10^digits in [0.1, 1)
  const lnm = lnFixedNear(fixed(m, w), w);
  return lnm + BigInt(e) * ln10(w);
}

function guard(r: number, extra: number): number {
  return r + 12 + extra;
}

/** numeric ln(x) with numeric_ln's scale. */
export function numericLn(x: Numeric): Numeric {
  if (x.isNaN()) return x;
  if (x.sign() === 0) {
    throw new DbError(SqlState.invalidArgumentForLogarithm, "cannot take logarithm of zero");
  }
  if (x.sign() < 0) {
    throw new DbError(
      SqlState.invalidArgumentForLogarithm,
      "cannot take logarithm of a negative number",
    );
  }
  if (!x.isFinite()) return x;
  const rscale = clampScale(Math.max(minSig - estimateLnDweight(x), x.scale));
  const w = guard(rscale, 8);
  return new Numeric(divRoundHalfAway(lnFixed(x, w), pow10(w - rscale)), rscale);
}

/** numeric log(base, x) with log_var's scale. */
export function numericLog(base: Numeric, x: Numeric): Numeric {
  if (base.isNaN() || x.isNaN()) return Numeric.NaN;
  for (const v of [base, x]) {
    if (v.sign() === 0) {
      throw new DbError(SqlState.invalidArgumentForLogarithm, "cannot take logarithm of zero");
    }
    if (v.sign() < 0) {
      throw new DbError(
        SqlState.invalidArgumentForLogarithm,
        "cannot take logarithm of a negative number",
      );
    }
  }
  if (!base.isFinite() || !x.isFinite()) {
    if (!base.isFinite() && !x.isFinite()) return Numeric.NaN;
    return !x.isFinite()
      ? (base.compare(Numeric.one) < 0 ? Numeric.NegInfinity : Numeric.Infinity)
      : Numeric.zero;
  }
  const rdw = estimateLnDweight(x) - estimateLnDweight(base);
  const rscale = clampScale(Math.max(minSig - rdw, base.scale, x.scale));
  const w = guard(rscale, 8 + Math.max(0, rdw));
  const lb = lnFixed(base, w);
  if (lb === 0n) throw new DbError(SqlState.divisionByZero, "division by zero");
  const lx = lnFixed(x, w);
  return new Numeric(divRoundHalfAway(lx * pow10(rscale), lb), rscale);
}

/** e^v for v = value/10^w (fixed point), result at scale w. */
function expFixed(v: bigint, w: number): bigint {
  const one = pow10(w);
  let k = 0;
  const small = one / 100n;
  while (v > small || -v > small) {
    v /= 2n;
    k++;
  }
  let sum = one;
  let term = one;
  for (let n = 1n; term !== 0n; n++) {
    term = (term * v) / one / n;
    sum += term;
  }
  for (let i = 0; i < k; i++) sum = (sum * sum) / one;
  return sum;
}

function overflow(): DbError {
  return new DbError(SqlState.numericValueOutOfRange, "value overflows numeric format");
}

/** numeric exp(x) with numeric_exp's scale. */
export function numericExp(x: Numeric): Numeric {
  if (x.isNaN()) return x;
  if (!x.isFinite()) return x.sign() > 0 ? x : Numeric.zero;
  let val = Math.max(-2000, Math.min(2000, x.toNumber()));
  if (x.toNumber() > 6000) throw overflow();
  val *= 0.434294481903252;
  const rscale = clampScale(Math.max(minSig - Math.trunc(val), x.scale));
  if (x.toNumber() < -6000) return new Numeric(0n, rscale);
  // Squaring after halving multiplies the relative error; the result's integer digits need room too.
  const magnitude = Math.max(0, Math.ceil(x.toNumber() * 0.434294481903252));
  const w = guard(rscale, 10 + magnitude + Math.ceil(Math.log2(Math.abs(x.toNumber()) + 1) + 7));
  const r = expFixed(fixed(x, w), w);
  return Numeric.checked(divRoundHalfAway(r, pow10(w - rscale)), rscale);
}

/** power_var for a non-integer (or out-of-int32) exponent: exp(y · ln x). */
export function numericPowerGeneral(base: Numeric, exp: Numeric): Numeric {
  if (base.sign() === 0) return new Numeric(0n, minSig);
  const lnDweight = estimateLnDweight(base);
  let localScale = clampScale(8 - lnDweight);
  const lnApprox = Number(lnFixed(base, localScale + 4)) / 10 ** (localScale + 4);
  const val = lnApprox * exp.toNumber();
  if (Math.abs(val) > 2000 * 3.01) {
    if (val > 0) throw overflow();
    return new Numeric(0n, numericDisplayScaleMax);
  }
  const dweight = val * 0.434294481903252;
  const rscale = clampScale(Math.max(minSig - Math.trunc(dweight), base.scale, exp.scale));
  const sig = Math.max(rscale + Math.trunc(dweight), 0);
  localScale = sig - lnDweight + 8;
  const w = guard(
    Math.max(rscale, localScale),
    10 + Math.max(0, Math.ceil(dweight)) + Math.ceil(Math.log2(Math.abs(val) + 1) + 7),
  );
  const lnx = lnFixed(base, w);
  const prod = (lnx * fixed(exp, w)) / pow10(w);
  const r = expFixed(prod, w);
  return Numeric.checked(divRoundHalfAway(r, pow10(w - rscale)), rscale);
}
