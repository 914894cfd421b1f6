/**
 * @module Text I/O of the smaller built-in types PostgreSQL 15 has and clients see in pg_type:
 * money (bigint cents, lc_monetary C), macaddr/macaddr8, point, refcursor (text), pg_snapshot /
 * txid_snapshot, and the OID-valued regoperator, regcollation, regconfig and regdictionary
 * (BKG-DB has no such objects, so only numeric OIDs are accepted and shown).
 */
import type { Datum } from "../datum.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import { formatFloat8, parseFloat8 } from "./float.ts";
import { parseOid } from "./int.ts";

type Input = (text: string) => Datum;
type Output = (d: Datum, extraFloatDigits: number) => string;

function invalid(type: string, text: string): DbError {
  return new DbError(
    SqlState.invalidTextRepresentation,
    `invalid input syntax for type ${type}: "${text}"`,
  );
}

function moneyIn(text: string): bigint {
  const m = /^\s*(-)?\s*\$?\s*(-)?([0-9][0-9,]*)?(?:\.([0-9]*))?\s*$/.exec(text);
  if (m === null || (m[3] === undefined && (m[4] ?? "") === "")) throw invalid("money", text);
  const whole = BigInt((m[3] ?? "0").replaceAll(",", ""));
  const frac = (m[4] ?? "").padEnd(3, "0");
  let cents = whole * 100n + BigInt(frac.slice(0, 2));
  if (frac.charCodeAt(2) >= 53) cents += 1n; // round half up on the third digit, as cash_in does
  if (m[1] !== undefined || m[2] !== undefined) cents = -cents;
  if (cents > 9223372036854775807n || cents < -9223372036854775808n) {
    throw new DbError(
      SqlState.numericValueOutOfRange,
      `value "${text}" is out of range for type money`,
    );
  }
  return cents;
}

function moneyOut(d: Datum): string {
  const v = d as bigint;
  const abs = v < 0n ? -v : v;
  const whole = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const s = `$${whole}.${(abs % 100n).toString().padStart(2, "0")}`;
  return v < 0n ? `-${s}` : s;
}

function macIn(bytes: 6 | 8) {
  const type = bytes === 6 ? "macaddr" : "macaddr8";
  return (text: string): string => {
    const hex = text.trim().replace(/[:.-]/g, "");
    const seps = text.trim().replace(/[0-9a-fA-F]/g, "");
    const okSeps = seps === "" || /^(?::+|-+|\.+)$/.test(seps);
    const n = hex.length / 2;
    if (!/^[0-9a-fA-F]+$/.test(hex) || !okSeps || (n !== 6 && !(bytes === 8 && n === 8))) {
      throw invalid(type, text);
    }
    let pairs: string[] = hex.toLowerCase().match(/../g)!;
    if (bytes === 8 && n === 6) pairs = [...pairs.slice(0, 3), "ff", "fe", ...pairs.slice(3)];
    return pairs.join(":");
  };
}

function pointIn(text: string): Datum {
  const m = /^\s*\(?\s*([^,()\s]+)\s*,\s*([^,()\s]+)\s*\)?\s*$/.exec(text);
  const open = text.trim().startsWith("(");
  const close = text.trim().endsWith(")");
  if (m === null || open !== close) throw invalid("point", text);
  try {
    return [parseFloat8(m[1]!), parseFloat8(m[2]!)];
  } catch {
    throw invalid("point", text);
  }
}

function snapshotIn(type: string) {
  return (text: string): string => {
    const m = /^(\d+):(\d+):((?:\d+(?:,\d+)*)?)$/.exec(text);
    if (m === null) throw invalid(type, text);
    const xmin = BigInt(m[1]!);
    const xmax = BigInt(m[2]!);
    const xip = m[3] === "" ? [] : m[3]!.split(",").map(BigInt);
    if (xmin === 0n || xmax < xmin || xip.some((x) => x < xmin || x >= xmax)) {
      throw invalid(type, text);
    }
    for (let i = 1; i < xip.length; i++) if (xip[i]! < xip[i - 1]!) throw invalid(type, text);
    return `${xmin}:${xmax}:${[...new Set(xip)].join(",")}`;
  };
}

function regIn(what: string, code: "42704" | "42883", quoted = true) {
  return (text: string): number => {
    const t = text.trim();
    if (/^\d+$/.test(t)) return parseOid(t);
    const name = quoted ? `${what} "${t}" does not exist` : `${what}: ${t}`;
    throw new DbError(
      code === "42704" ? SqlState.undefinedObject : SqlState.undefinedFunction,
      name,
    );
  };
}

/** Input functions by type OID. */
export const miscInputs: [number, Input][] = [
  [790, moneyIn],
  [829, macIn(6)],
  [774, macIn(8)],
  [600, pointIn],
  [1790, (t) => t],
  [5038, snapshotIn("pg_snapshot")],
  [2970, snapshotIn("txid_snapshot")],
  [2204, regIn("operator does not exist", "42883", false)],
  [4191, regIn("collation", "42704")],
  [3734, regIn("text search configuration", "42704")],
  [3769, regIn("text search dictionary", "42704")],
];

/** Output functions by type OID. */
export const miscOutputs: [number, Output][] = [
  [790, moneyOut],
  [829, (d) => d as string],
  [774, (d) => d as string],
  [600, (d, e) => {
    const [x, y] = d as number[];
    return `(${formatFloat8(x!, e)},${formatFloat8(y!, e)})`;
  }],
  [1790, (d) => d as string],
  [5038, (d) => d as string],
  [2970, (d) => d as string],
  [2204, (d) => String(d)],
  [4191, (d) => String(d)],
  [3734, (d) => String(d)],
  [3769, (d) => String(d)],
];
