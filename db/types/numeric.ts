/**
 * @module Numeric: PostgreSQL's arbitrary-precision decimal as a bigint coefficient and a display
 * scale (value = coef / 10^scale), plus NaN and ±Infinity (PostgreSQL 14+), with text I/O and the
 * arithmetic whose result scales follow numeric.c (add/sub: max scale; mul: sum of scales; div:
 * select_div_scale; power: power_var_int; sqrt: numeric_sqrt).
 */
import { registerDatumClass } from "../datum.ts";
import { DbError, SqlState } from "../sqlstate.ts";

/** Kinds of numeric value. */
const enum Kind {
  Finite = 0,
  NaN = 1,
  PosInf = 2,
  NegInf = 3,
}

/** NUMERIC_MIN_SIG_DIGITS: results of division and functions carry at least this many digits. */
const minSigDigits = 16;
/** NUMERIC_MAX_DISPLAY_SCALE. */
export const numericDisplayScaleMax = 1000;
/** NUMERIC_DSCALE_MAX: the largest scale a value can carry. */
const dscaleMax = 0x3fff;
/** Digits before the decimal point allowed (NUMERIC_WEIGHT_MAX + 1 base-10000 digits). */
const integerDigitsMax = 131072;

const pow10Cache: bigint[] = [];
/** 10^n as a bigint (cached for small n). */
export function pow10(n: number): bigint {
  if (n < 64) {
    let v = pow10Cache[n];
    if (v === undefined) v = pow10Cache[n] = 10n ** BigInt(n);
    return v;
  }
  return 10n ** BigInt(n);
}

function absBig(v: bigint): bigint {
  return v < 0n ? -v : v;
}

/** Divides rounding half away from zero (PostgreSQL's round_var). */
export function divRoundHalfAway(a: bigint, b: bigint): bigint {
  if (b < 0n) {
    a = -a;
    b = -b;
  }
  const q = a / b;
  const r = a - q * b;
  if (absBig(r) * 2n >= b) return a < 0n ? q - 1n : q + 1n;
  return q;
}

function overflow(): DbError {
  return new DbError(SqlState.numericValueOutOfRange, "value overflows numeric format");
}

const numericPattern = /^\s*([+-]?)(\d+\.?\d*|\.\d+)(?:[eE]([+-]?\d+))?\s*$/;

/** An immutable arbitrary-precision decimal (the Datum of `numeric`). */
export class Numeric {
  /** The coefficient (value = coef / 10^scale); 0n for the special values. */
  readonly coef: bigint;
  /** The display scale: digits after the decimal point (≥ 0). */
  readonly scale: number;
  readonly kind: Kind;

  constructor(coef: bigint, scale = 0, kind: Kind = Kind.Finite) {
    this.coef = coef;
    this.scale = scale;
    this.kind = kind;
  }

  get datumTag(): number {
    return 16;
  }

  static readonly NaN = new Numeric(0n, 0, Kind.NaN);
  static readonly Infinity = new Numeric(0n, 0, Kind.PosInf);
  static readonly NegInfinity = new Numeric(0n, 0, Kind.NegInf);
  static readonly zero = new Numeric(0n, 0);
  static readonly one = new Numeric(1n, 0);

  /**
   * numeric_in: parses PostgreSQL's numeric text.
   *
   * @example
   * Numeric.parse("1.50").toString(); // "1.50"
   */
  static parse(text: string, typeName = "numeric"): Numeric {
    const m = numericPattern.exec(text);
    if (m === null) {
      const t = text.trim().toLowerCase();
      if (t === "nan") return Numeric.NaN;
      if (t === "infinity" || t === "+infinity" || t === "inf" || t === "+inf") {
        return Numeric.Infinity;
      }
      if (t === "-infinity" || t === "-inf") return Numeric.NegInfinity;
      throw new DbError(
        SqlState.invalidTextRepresentation,
        `invalid input syntax for type ${typeName}: "${text}"`,
      );
    }
    const body = m[2]!;
    const dot = body.indexOf(".");
    const digits = dot < 0 ? body : body.slice(0, dot) + body.slice(dot + 1);
    let scale = dot < 0 ? 0 : body.length - dot - 1;
    if (m[3] !== undefined) {
      const exp = Number(m[3]);
      if (!Number.isSafeInteger(exp) || Math.abs(exp) > numericDisplayScaleMax * 2) {
        throw new DbError(
          SqlState.invalidTextRepresentation,
          `invalid input syntax for type ${typeName}: "${text}"`,
        );
      }
      scale -= exp;
    }
    let coef = BigInt(digits);
    if (scale < 0) {
      coef *= pow10(-scale);
      scale = 0;
    }
    if (m[1] === "-") coef = -coef;
    return Numeric.checked(coef, scale);
  }

  /** A finite value, checked against PostgreSQL's format limits. */
  static checked(coef: bigint, scale: number): Numeric {
    if (scale > dscaleMax) throw overflow();
    const n = new Numeric(coef, scale);
    if (coef !== 0n && n.integerDigits() > integerDigitsMax) throw overflow();
    return n;
  }

  static fromBigInt(v: bigint): Numeric {
    return new Numeric(v, 0);
  }

  /** float8_numeric / float4_numeric: the float printed with 15 (or 6) significant digits. */
  static fromFloat(v: number, digits = 15): Numeric {
    if (Number.isNaN(v)) return Numeric.NaN;
    if (v === Infinity) return Numeric.Infinity;
    if (v === -Infinity) return Numeric.NegInfinity;
    return Numeric.parse(formatG(v, digits));
  }

  isNaN(): boolean {
    return this.kind === Kind.NaN;
  }

  isFinite(): boolean {
    return this.kind === Kind.Finite;
  }

  isInfinite(): boolean {
    return this.kind === Kind.PosInf || this.kind === Kind.NegInf;
  }

  /** -1, 0 or 1 (NaN gives 0; ±Infinity ±1). */
  sign(): number {
    if (this.kind === Kind.PosInf) return 1;
    if (this.kind === Kind.NegInf) return -1;
    return this.coef > 0n ? 1 : this.coef < 0n ? -1 : 0;
  }

  /** Decimal digits before the point of |value| (0 for |value| < 1). */
  integerDigits(): number {
    const s = absBig(this.coef).toString();
    return Math.max(0, s.length - this.scale);
  }

  /** numeric_out. */
  toString(): string {
    switch (this.kind) {
      case Kind.NaN:
        return "NaN";
      case Kind.PosInf:
        return "Infinity";
      case Kind.NegInf:
        return "-Infinity";
    }
    const neg = this.coef < 0n;
    let s = absBig(this.coef).toString();
    if (this.scale > 0) {
      if (s.length <= this.scale) s = "0".repeat(this.scale - s.length + 1) + s;
      s = s.slice(0, s.length - this.scale) + "." + s.slice(s.length - this.scale);
    }
    return neg ? "-" + s : s;
  }

  /** The nearest double (numeric_float8). */
  toNumber(): number {
    switch (this.kind) {
      case Kind.NaN:
        return NaN;
      case Kind.PosInf:
        return Infinity;
      case Kind.NegInf:
        return -Infinity;
    }
    return Number(this.toString());
  }

  /** The coefficient at scale `s` (exact when s ≥ scale, rounded half away otherwise). */
  coefAt(s: number): bigint {
    if (s >= this.scale) return this.coef * pow10(s - this.scale);
    return divRoundHalfAway(this.coef, pow10(this.scale - s));
  }

  /** Rounds to `s` digits after the point, half away from zero (s may be negative). */
  round(s: number): Numeric {
    if (!this.isFinite()) return this;
    if (s >= 0) return new Numeric(this.coefAt(s), s);
    const unit = pow10(-s);
    return new Numeric(divRoundHalfAway(this.coef, pow10(this.scale - s)) * unit, 0);
  }

  /** Truncates toward zero to `s` digits after the point. */
  trunc(s: number): Numeric {
    if (!this.isFinite()) return this;
    if (s >= this.scale) return new Numeric(this.coef * pow10(s - this.scale), s);
    if (s >= 0) return new Numeric(this.coef / pow10(this.scale - s), s);
    const unit = pow10(-s);
    return new Numeric((this.coef / pow10(this.scale) / unit) * unit, 0);
  }

  /** ceil (scale 0). */
  ceil(): Numeric {
    if (!this.isFinite()) return this;
    const unit = pow10(this.scale);
    let q = this.coef / unit;
    if (q * unit !== this.coef && this.coef > 0n) q += 1n;
    return new Numeric(q, 0);
  }

  /** floor (scale 0). */
  floor(): Numeric {
    if (!this.isFinite()) return this;
    const unit = pow10(this.scale);
    let q = this.coef / unit;
    if (q * unit !== this.coef && this.coef < 0n) q -= 1n;
    return new Numeric(q, 0);
  }

  /** The value rounded half away from zero to an integer (numeric_int8's rounding). */
  toBigIntRounded(): bigint {
    return this.coefAt(0);
  }

  neg(): Numeric {
    if (this.kind === Kind.PosInf) return Numeric.NegInfinity;
    if (this.kind === Kind.NegInf) return Numeric.Infinity;
    if (this.kind === Kind.NaN) return this;
    return new Numeric(-this.coef, this.scale);
  }

  abs(): Numeric {
    return this.sign() < 0 ? this.neg() : this;
  }

  /** The value with trailing fractional zeros removed (numeric's trim_scale). */
  trimScale(): Numeric {
    if (!this.isFinite() || this.scale === 0) return this;
    let c = this.coef;
    let s = this.scale;
    while (s > 0 && c % 10n === 0n) {
      c /= 10n;
      s--;
    }
    return new Numeric(c, s);
  }

  /** numeric_cmp: NaN is greater than everything (and equal to itself); -Inf < finite < +Inf. */
  compare(other: Numeric): number {
    const a = order(this);
    const b = order(other);
    if (a !== b || a !== 1) return a < b ? -1 : a > b ? 1 : 0;
    const s = Math.max(this.scale, other.scale);
    const x = this.coef * pow10(s - this.scale);
    const y = other.coef * pow10(s - other.scale);
    return x < y ? -1 : x > y ? 1 : 0;
  }

  equals(other: Numeric): boolean {
    return this.compare(other) === 0;
  }

  add(o: Numeric): Numeric {
    if (!this.isFinite() || !o.isFinite()) return specialAdd(this, o);
    const s = Math.max(this.scale, o.scale);
    return Numeric.checked(this.coefAt(s) + o.coefAt(s), s);
  }

  sub(o: Numeric): Numeric {
    return this.add(o.neg());
  }

  mul(o: Numeric): Numeric {
    if (!this.isFinite() || !o.isFinite()) {
      if (this.isNaN() || o.isNaN()) return Numeric.NaN;
      const sa = this.sign();
      const sb = o.sign();
      if (sa === 0 || sb === 0) return Numeric.NaN;
      return sa * sb > 0 ? Numeric.Infinity : Numeric.NegInfinity;
    }
    let s = this.scale + o.scale;
    let c = this.coef * o.coef;
    if (s > dscaleMax) {
      c = divRoundHalfAway(c, pow10(s - dscaleMax));
      s = dscaleMax;
    }
    return Numeric.checked(c, s);
  }

  /** numeric_div: the quotient rounded to select_div_scale digits (or `rscale` if given). */
  div(o: Numeric, rscale?: number): Numeric {
    if (this.isNaN() || o.isNaN()) return Numeric.NaN;
    if (!this.isFinite()) {
      if (!o.isFinite()) return Numeric.NaN;
      if (o.sign() === 0) throw divisionByZero();
      return this.sign() * o.sign() > 0 ? Numeric.Infinity : Numeric.NegInfinity;
    }
    if (!o.isFinite()) return Numeric.zero;
    if (o.coef === 0n) throw divisionByZero();
    const s = rscale ?? selectDivScale(this, o);
    // value = (c1/10^s1) / (c2/10^s2); at scale s: c1 * 10^(s + s2 - s1) / c2.
    const e = s + o.scale - this.scale;
    const num = e >= 0 ? this.coef * pow10(e) : this.coef;
    const den = e >= 0 ? o.coef : o.coef * pow10(-e);
    return Numeric.checked(divRoundHalfAway(num, den), s);
  }

  /** Truncating integer division (numeric_div_trunc, `div()`). */
  divTrunc(o: Numeric): Numeric {
    if (this.isNaN() || o.isNaN()) return Numeric.NaN;
    if (o.isFinite() && o.coef === 0n) throw divisionByZero();
    if (!this.isFinite()) {
      if (!o.isFinite()) return Numeric.NaN;
      return this.sign() * o.sign() > 0 ? Numeric.Infinity : Numeric.NegInfinity;
    }
    if (!o.isFinite()) return Numeric.zero;
    const s = Math.max(this.scale, o.scale);
    return new Numeric(this.coefAt(s) / o.coefAt(s), 0);
  }

  /** numeric_mod: the remainder of truncating division, scale max(s1, s2). */
  mod(o: Numeric): Numeric {
    if (this.isNaN() || o.isNaN()) return Numeric.NaN;
    if (!this.isFinite()) {
      if (o.isFinite() && o.coef === 0n) throw divisionByZero();
      return Numeric.NaN;
    }
    if (!o.isFinite()) return this;
    if (o.coef === 0n) throw divisionByZero();
    const s = Math.max(this.scale, o.scale);
    return new Numeric(this.coefAt(s) % o.coefAt(s), s);
  }

  /** sqrt with numeric_sqrt's result scale. */
  sqrt(): Numeric {
    if (this.isNaN() || this.kind === Kind.PosInf) return this;
    if (this.sign() < 0) {
      throw new DbError(
        SqlState.invalidArgumentForPowerFunction,
        "cannot take square root of a negative number",
      );
    }
    const w = nbaseWeight(this);
    const sweight = w === null ? 1 : w.weight * 2 + 1;
    let rscale = Math.max(minSigDigits - sweight, this.scale, 0);
    rscale = Math.min(rscale, numericDisplayScaleMax);
    // isqrt(v * 10^(2(r+1))) gives r+1 digits; round the last one.
    const scaled = this.coef * pow10(2 * (rscale + 1) - this.scale);
    const root = isqrt(scaled);
    return new Numeric(divRoundHalfAway(root, 10n), rscale);
  }

  /** power with an int32 exponent (PostgreSQL 15's power_var_int): scale max(16, base scale). */
  powerInt(exp: bigint): Numeric {
    if (this.coef === 0n && exp < 0n) throw divisionByZero();
    const rscale = Math.min(Math.max(minSigDigits, this.scale), numericDisplayScaleMax);
    if (exp === 0n) return new Numeric(pow10(rscale), rscale);
    if (this.coef === 0n) return new Numeric(0n, rscale);
    const n = exp < 0n ? -exp : exp;
    // Bound the work: |log10(result)| beyond the format's limits over- or underflows.
    const w = nbaseWeight(this)!;
    const dweight = Number(exp) * (Math.log10(w.leading) + w.leadingExp);
    if (dweight > 131072) throw overflow();
    if (dweight < -(rscale + 2)) return new Numeric(0n, rscale);
    const num = this.coef ** n;
    const den = pow10(this.scale * Number(n));
    const r = exp > 0n
      ? divRoundHalfAway(num * pow10(rscale), den)
      : divRoundHalfAway(den * pow10(rscale), num);
    return Numeric.checked(r, rscale);
  }
}

function divisionByZero(): DbError {
  return new DbError(SqlState.divisionByZero, "division by zero");
}

function order(n: Numeric): number {
  if (n.isNaN()) return 3;
  if (!n.isFinite()) return n.sign() > 0 ? 2 : 0;
  return 1;
}

function specialAdd(a: Numeric, b: Numeric): Numeric {
  if (a.isNaN() || b.isNaN()) return Numeric.NaN;
  if (a.isInfinite() && b.isInfinite()) return a.sign() === b.sign() ? a : Numeric.NaN;
  return a.isInfinite() ? a : b;
}

/** Integer square root (floor). */
export function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  // Newton's method from a starting point above the root decreases monotonically to it.
  let x = 1n << BigInt(Math.ceil(n.toString(2).length / 2));
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/**
 * The base-10000 weight of the first non-zero digit group and that group's value, as numeric.c
 * sees them, plus the leading value used by power_var_int's estimate: up to 4 groups
 * (leading * 10^leadingExp ≈ |value|).
 */
export function nbaseWeight(
  n: Numeric,
): { weight: number; first: number; second?: number; leading: number; leadingExp: number } | null {
  if (n.coef === 0n) return null;
  const digits = absBig(n.coef).toString();
  const e = digits.length - 1 - n.scale; // decimal exponent of the leading digit
  const weight = Math.floor(e / 4);
  // Align the digit string to base-10000 groups: the first group ends at exponent 4*weight.
  const headLen = e - 4 * weight + 1; // 1..4 digits in the first group
  const aligned = digits + "0".repeat((4 - ((digits.length - headLen) % 4)) % 4);
  const groups: number[] = [Number(aligned.slice(0, headLen))];
  for (let i = headLen; i < aligned.length; i += 4) groups.push(Number(aligned.slice(i, i + 4)));
  while (groups.length > 1 && groups[groups.length - 1] === 0) groups.pop();
  let leading = groups[0]!;
  let leadingExp = weight * 4;
  for (let i = 1; i < groups.length && i * 4 < 16; i++) {
    leading = leading * 10000 + groups[i]!;
    leadingExp -= 4;
  }
  return { weight, first: groups[0]!, second: groups[1], leading, leadingExp };
}

/** numeric.c's select_div_scale. */
export function selectDivScale(a: Numeric, b: Numeric): number {
  const wa = nbaseWeight(a);
  const wb = nbaseWeight(b);
  const weight1 = wa?.weight ?? 0;
  const first1 = wa?.first ?? 0;
  const weight2 = wb?.weight ?? 0;
  const first2 = wb?.first ?? 0;
  let qweight = weight1 - weight2;
  if (first1 <= first2) qweight--;
  let rscale = minSigDigits - qweight * 4;
  rscale = Math.max(rscale, a.scale, b.scale, 0);
  return Math.min(rscale, numericDisplayScaleMax);
}

/** C's `%.*g`: `digits` significant digits, trailing zeros removed. */
export function formatG(v: number, digits: number): string {
  if (v === 0) return Object.is(v, -0) ? "-0" : "0";
  const exp = Number(v.toExponential(digits - 1).split("e")[1]);
  if (exp < -4 || exp >= digits) {
    const [m, e] = v.toExponential(digits - 1).split("e");
    const mant = m!.includes(".") ? m!.replace(/0+$/, "").replace(/\.$/, "") : m!;
    const en = Number(e);
    return `${mant}e${en < 0 ? "-" : "+"}${String(Math.abs(en)).padStart(2, "0")}`;
  }
  const f = v.toFixed(Math.max(0, digits - 1 - exp));
  return f.includes(".") ? f.replace(/0+$/, "").replace(/\.$/, "") : f;
}

registerDatumClass<Numeric>({
  tag: 16,
  name: "numeric",
  toPlain: (n) => n.toString(),
  fromPlain: (s) => Numeric.parse(s as string),
});
