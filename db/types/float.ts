/**
 * @module float4 and float8 text I/O: strtod-style input with PostgreSQL's range errors, and
 * output as PostgreSQL 12+ prints it with extra_float_digits > 0 (shortest round-trip, fixed
 * notation for decimal exponents in [-4, 15) — [-4, 6) for float4 — else `1e+100`).
 */
import { DbError, SqlState } from "../sqlstate.ts";
import { formatG } from "./numeric.ts";

const floatPattern = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
const specials: Record<string, number> = {
  nan: NaN,
  "+nan": NaN,
  "-nan": NaN,
  infinity: Infinity,
  "+infinity": Infinity,
  "-infinity": -Infinity,
  inf: Infinity,
  "+inf": Infinity,
  "-inf": -Infinity,
};

function parse(text: string, typeName: string, single: boolean): number {
  if (!floatPattern.test(text)) {
    const sp = specials[text.trim().toLowerCase()];
    if (sp !== undefined) return sp;
    throw new DbError(
      SqlState.invalidTextRepresentation,
      `invalid input syntax for type ${typeName}: "${text}"`,
    );
  }
  const d = Number(text.trim());
  const v = single ? Math.fround(d) : d;
  const outOfRange = !Number.isFinite(v) ||
    (v === 0 && /[1-9]/.test(text.replace(/[eE].*$/, "")));
  if (outOfRange) {
    throw new DbError(
      SqlState.numericValueOutOfRange,
      `"${text}" is out of range for type ${typeName}`,
    );
  }
  return v;
}

/** float8in. */
export function parseFloat8(text: string): number {
  return parse(text, "double precision", false);
}

/** float4in (the value is kept as the nearest float32, in a JS number). */
export function parseFloat4(text: string): number {
  return parse(text, "real", true);
}

function special(v: number): string | undefined {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "Infinity";
  if (v === -Infinity) return "-Infinity";
  if (v === 0) return Object.is(v, -0) ? "-0" : "0";
  return undefined;
}

/** Formats shortest digits `digits` (no point) with decimal exponent `exp` as Ryu's to_chars. */
function layout(neg: boolean, digits: string, exp: number, fixedMax: number): string {
  let out: string;
  if (exp >= -4 && exp < fixedMax) {
    if (exp < 0) out = "0." + "0".repeat(-exp - 1) + digits;
    else if (digits.length <= exp + 1) out = digits + "0".repeat(exp + 1 - digits.length);
    else out = digits.slice(0, exp + 1) + "." + digits.slice(exp + 1);
  } else {
    const mant = digits.length > 1 ? digits[0] + "." + digits.slice(1) : digits;
    out = `${mant}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  return neg ? "-" + out : out;
}

/** The binary value of |v| as M · 2^e2 and whether M is even, as Ryu sees it. */
function decompose(v: number, single: boolean): { m: bigint; e2: number; lowerGap2: boolean } {
  const dv = new DataView(new ArrayBuffer(8));
  if (single) {
    dv.setFloat32(0, Math.abs(v));
    const bits = dv.getUint32(0);
    const exp = bits >>> 23;
    const frac = bits & 0x7fffff;
    if (exp === 0) return { m: BigInt(frac), e2: -149, lowerGap2: false };
    return { m: BigInt(frac | 0x800000), e2: exp - 150, lowerGap2: frac === 0 && exp > 1 };
  }
  dv.setFloat64(0, Math.abs(v));
  const hi = dv.getUint32(0);
  const lo = dv.getUint32(4);
  const exp = hi >>> 20;
  const frac = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (exp === 0) return { m: frac, e2: -1074, lowerGap2: false };
  return { m: frac | (1n << 52n), e2: exp - 1075, lowerGap2: frac === 0n && exp > 1 };
}

const pow10Big: bigint[] = [];
function p10(n: number): bigint {
  return (pow10Big[n] ??= 10n ** BigInt(n));
}

/**
 * The shortest decimal that lies strictly inside the value's rounding interval, rounded half to
 * even — what PostgreSQL's Ryu-based float output prints (Ryu there excludes both interval
 * bounds; JavaScript's shortest form may land on one). Exact bigint arithmetic.
 */
function shortest(v: number, single: boolean): [string, number] {
  const a = Math.abs(v);
  // Below 2^52 a double's rounding bounds and ties have more than 17 significant digits, so
  // JavaScript's shortest form (closest, ties to even) is exactly Ryu's: use it.
  if (!single && a < 4503599627370496 && a >= 2.2250738585072014e-308) {
    const e = v.toExponential();
    const at = e.indexOf("e");
    return [e.slice(v < 0 ? 1 : 0, at).replace(".", ""), Number(e.slice(at + 1))];
  }
  // Fast path: small integers print as themselves.
  if (Number.isInteger(a) && a < (single ? 16777216 : 9007199254740992)) {
    const str = String(a);
    const trimmed = str.replace(/0+$/, "");
    return [trimmed === "" ? "0" : trimmed, str.length - 1];
  }
  const { m, e2, lowerGap2 } = decompose(v, single);
  // Everything over the common denominator 2^sh: value, upper and lower bounds.
  const sh = Math.max(0, 2 - e2);
  const scaleUp = (n: bigint, e: number) => n << BigInt(e + sh);
  const nv = scaleUp(m, e2);
  const nu = scaleUp(2n * m + 1n, e2 - 1);
  const nl = lowerGap2 ? scaleUp(4n * m - 1n, e2 - 2) : scaleUp(2n * m - 1n, e2 - 1);
  const den = 1n << BigInt(sh);
  let k = Math.floor(Math.log10(a));
  // Fix k so that 10^k <= a < 10^(k+1) exactly.
  const ge = (e: number) => (e >= 0 ? nv >= p10(e) * den : nv * p10(-e) >= den);
  while (!ge(k)) k--;
  while (ge(k + 1)) k++;
  const maxDigits = single ? 9 : 17;
  for (let p = 1; p <= maxDigits; p++) {
    const s = p - 1 - k; // candidate = c / 10^s
    const num = s >= 0 ? nv * p10(s) : nv;
    const d = s >= 0 ? den : den * p10(-s);
    let c = num / d;
    const rem2 = 2n * (num - c * d);
    if (rem2 > d || (rem2 === d && (c & 1n) === 1n)) c += 1n;
    // Inside (lower, upper), both exclusive?
    const cScaled = s >= 0 ? c * den : c * den * p10(-s);
    const upper = s >= 0 ? nu * p10(s) : nu;
    const lower = s >= 0 ? nl * p10(s) : nl;
    if (cScaled < upper && cScaled > lower) {
      let digits = c.toString();
      let exp = k;
      if (digits.length > p) exp++; // rounding carried into a new digit (9.99 → 10.0)
      digits = digits.replace(/0+$/, "");
      return [digits === "" ? "0" : digits, exp];
    }
  }
  const e = v.toExponential(maxDigits - 1);
  const at = e.indexOf("e");
  return [e.slice(v < 0 ? 1 : 0, at).replace(".", "").replace(/0+$/, ""), Number(e.slice(at + 1))];
}

/** float8out with extra_float_digits (default 1). */
export function formatFloat8(v: number, extraFloatDigits = 1): string {
  const sp = special(v);
  if (sp !== undefined) return sp;
  if (extraFloatDigits <= 0) return formatG(v, 15 + extraFloatDigits);
  const [digits, exp] = shortest(v, false);
  return layout(v < 0, digits, exp, 15);
}

/** float4out with extra_float_digits (default 1). */
export function formatFloat4(v: number, extraFloatDigits = 1): string {
  const sp = special(v);
  if (sp !== undefined) return sp;
  if (extraFloatDigits <= 0) return formatG(v, 6 + extraFloatDigits);
  const [digits, exp] = shortest(v, true);
  return layout(v < 0, digits, exp, 6);
}
