/**
 * @module EvalContext: what value functions may need from the session (time zone, date and
 * interval styles, transaction and statement start times, a seedable random source, catalog
 * look-ups). The executor fills one per session and statement; `defaultEvalContext` makes one.
 */

/** The session state value functions read. */
export interface EvalContext {
  /** The TimeZone setting: `UTC`, an IANA name, or a POSIX/offset spelling such as `+05`. */
  timeZone: string;
  /** The DateStyle setting; output supports `ISO, MDY` (default), input honours MDY/DMY/YMD. */
  dateStyle: string;
  /** The IntervalStyle setting; `postgres` (default) and `iso_8601` are supported on output. */
  intervalStyle: string;
  /** extra_float_digits (1 by default: shortest round-trip output). */
  extraFloatDigits: number;
  /** Transaction start as timestamptz µs since 2000-01-01 UTC (now(), transaction_timestamp()). */
  transactionStart: bigint;
  /** Statement start (statement_timestamp()). */
  statementStart: bigint;
  /** The session's random source in [0, 1); `setSeed` makes it repeatable. */
  random(): number;
  setSeed(seed: number): void;
  /** regclass input: a relation name to its OID, or undefined if it does not exist. */
  lookupRelation?(name: string): number | undefined;
  /** regclass output: an OID to its (possibly qualified) name. */
  relationName?(oid: number): string | undefined;
  /** regtype input for non-built-in types (enums, domains). */
  lookupType?(name: string): number | undefined;
  /** regproc input/output. */
  lookupFunction?(name: string): number | undefined;
  functionName?(oid: number): string | undefined;
  /** Labels of an enum type, in sort order (for enum comparison and enum_range). */
  enumLabels?(typeOid: number): string[] | undefined;
  /** current_user / current_role / user. */
  currentUser(): string;
  /** session_user (SET SESSION AUTHORIZATION); current_user when absent. */
  sessionUser?(): string;
  /** current_schema(). */
  currentSchema(): string;
  /** The column names of a record type, for row_to_json (undefined: f1, f2, …). */
  recordColumns?(typeOid: number): string[] | undefined;
}

/** PostgreSQL's epoch (2000-01-01 00:00:00 UTC) in Unix milliseconds. */
export const pgEpochUnixMs = 946684800000;

/** The current time as timestamptz µs since 2000-01-01 UTC. */
export function nowMicros(): bigint {
  const ms = performance.timeOrigin + performance.now();
  return BigInt(Math.round((ms - pgEpochUnixMs) * 1000));
}

/**
 * A seedable generator (xorshift128+ on two 32-bit halves is enough for `random()`; it is not a
 * cryptographic source — gen_random_uuid uses crypto.getRandomValues).
 */
export function seededRandom(seed = Math.random()): { random(): number; setSeed(s: number): void } {
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  const setSeed = (s: number) => {
    const x = Math.floor((s + 1) * 0x7fffffff) >>> 0;
    a = x ^ 0x9e3779b9;
    b = Math.imul(x, 0x85ebca6b) >>> 0;
    c = (x + 0x6a09e667) >>> 0;
    d = 0xbb67ae85 ^ x;
    for (let i = 0; i < 16; i++) next();
  };
  // sfc32: small, fast, good statistical quality.
  const next = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  setSeed(seed);
  return { random: next, setSeed };
}

/** A context with PostgreSQL's defaults (TimeZone UTC unless given). */
export function defaultEvalContext(overrides: Partial<EvalContext> = {}): EvalContext {
  const now = nowMicros();
  const rng = seededRandom();
  return {
    timeZone: "UTC",
    dateStyle: "ISO, MDY",
    intervalStyle: "postgres",
    extraFloatDigits: 1,
    transactionStart: now,
    statementStart: now,
    random: rng.random,
    setSeed: rng.setSeed,
    currentUser: () => "postgres",
    currentSchema: () => "public",
    ...overrides,
  };
}
