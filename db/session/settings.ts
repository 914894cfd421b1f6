/**
 * @module Session settings (GUCs): the defaults clients read at startup and through SHOW,
 * with SET, SET LOCAL (undone at transaction end) and RESET.
 */
import { DbError, SqlState } from "../sqlstate.ts";

/** Defaults, as PostgreSQL 15 reports them. */
export const settingDefaults: Record<string, string> = {
  server_version: "15.8",
  server_version_num: "150008",
  server_encoding: "UTF8",
  client_encoding: "UTF8",
  datestyle: "ISO, MDY",
  timezone: "UTC",
  intervalstyle: "postgres",
  standard_conforming_strings: "on",
  search_path: '"$user", public',
  application_name: "",
  statement_timeout: "0",
  lock_timeout: "0",
  idle_in_transaction_session_timeout: "0",
  default_transaction_isolation: "read committed",
  default_transaction_read_only: "off",
  transaction_isolation: "read committed",
  transaction_read_only: "off",
  extra_float_digits: "1",
  max_identifier_length: "63",
  integer_datetimes: "on",
  is_superuser: "on",
  session_authorization: "postgres",
  role: "none",
  synchronous_commit: "on",
  client_min_messages: "notice",
  lc_messages: "C.UTF-8",
  lc_collate: "C.UTF-8",
  lc_ctype: "C.UTF-8",
  lc_monetary: "C.UTF-8",
  lc_numeric: "C.UTF-8",
  lc_time: "C.UTF-8",
  bytea_output: "hex",
  max_connections: "300",
  block_size: "8192",
  row_security: "on",
  work_mem: "4MB",
  search_path_cache: "",
  "request.jwt.claims": "",
};

/** Settings RESET ALL keeps: who the session is. */
const noResetAll = new Set(["role", "session_authorization", "is_superuser"]);

/** Display names of settings whose SHOW column is spelled differently. */
export const settingNames: Record<string, string> = {
  datestyle: "DateStyle",
  timezone: "TimeZone",
  intervalstyle: "IntervalStyle",
};

function invalid(name: string, value: string): DbError {
  return new DbError(
    SqlState.invalidParameterValue,
    `invalid value for parameter "${name}": "${value}"`,
  );
}

/** Checks (and normalizes) a value for a known setting. */
function validate(key: string, value: string): string {
  switch (key) {
    case "default_transaction_isolation":
    case "transaction_isolation": {
      const v = value.toLowerCase();
      if (!["read committed", "repeatable read", "serializable", "read uncommitted"].includes(v)) {
        throw invalid(key, value);
      }
      return v;
    }
    case "extra_float_digits": {
      const n = Number(value);
      if (!Number.isInteger(n)) {
        throw new DbError(
          SqlState.invalidParameterValue,
          `invalid value for parameter "${key}": "${value}"`,
        );
      }
      if (n < -15 || n > 3) {
        throw new DbError(
          SqlState.invalidParameterValue,
          `${n} is outside the valid range for parameter "${key}" (-15 .. 3)`,
        );
      }
      return String(n);
    }
    case "statement_timeout":
    case "lock_timeout":
    case "idle_in_transaction_session_timeout":
      if (!/^\s*\d+(\.\d+)?\s*(ms|s|min|h|d)?\s*$/i.test(value)) throw invalid(key, value);
      return value.trim();
    case "standard_conforming_strings":
    case "default_transaction_read_only":
    case "transaction_read_only":
    case "synchronous_commit": {
      const v = value.toLowerCase();
      if (["on", "true", "yes", "1"].includes(v)) return "on";
      if (["off", "false", "no", "0"].includes(v)) return "off";
      if (key === "synchronous_commit" && ["local", "remote_write", "remote_apply"].includes(v)) {
        return v;
      }
      throw new DbError(
        SqlState.invalidParameterValue,
        `parameter "${key}" requires a Boolean value`,
      );
    }
  }
  return value;
}

/** A snapshot of the settings taken at a SAVEPOINT. */
export interface SettingsMark {
  values: Map<string, string>;
  local: Map<string, string | undefined> | null;
  txnSet: Map<string, string | undefined> | null;
}

/** The settings of one session. */
export class Settings {
  readonly values = new Map<string, string>();
  #local: Map<string, string | undefined> | null = null;
  #txnSet: Map<string, string | undefined> | null = null;

  /** Values the session started with that RESET returns to (the login role's identity). */
  readonly #boot = new Map<string, string>();

  /** Prefixes of settings that SET, set_config and RESET may not change (see {@link lock}). */
  readonly #locked: string[] = [];

  /** `resetTo`: values RESET and RESET ALL return to (the role's and database's settings). */
  constructor(initial: Record<string, string> = {}, resetTo: Record<string, string> = {}) {
    for (const [k, v] of Object.entries(settingDefaults)) this.values.set(k, v);
    for (const [k, v] of Object.entries(resetTo)) this.#boot.set(k.toLowerCase(), v);
    for (const [k, v] of Object.entries(initial)) {
      this.values.set(k.toLowerCase(), v);
      if (noResetAll.has(k.toLowerCase())) this.#boot.set(k.toLowerCase(), v);
    }
  }

  get(name: string, missingOk = false): string | null {
    const key = name.toLowerCase();
    const v = this.values.get(key);
    if (v === undefined) {
      if (missingOk || key.includes(".")) {
        return missingOk ? null : raiseUnknown(name, key.includes("."));
      }
      raiseUnknown(name, false);
    }
    return v ?? null;
  }

  /**
   * Freezes every setting whose name starts with `prefix` at its current value. A session opened
   * from a JWT locks `request.jwt`: row-level security policies (auth.uid()) trust the claims, so
   * SQL must not replace them; one statement could otherwise set another user's claims, read and
   * restore them. (PostgreSQL lets any role set custom parameters; PostgREST never runs a client's
   * SQL, BKG's doors do.)
   */
  lock(prefix: string): void {
    this.#locked.push(prefix.toLowerCase());
  }

  #isLocked(key: string): boolean {
    return this.#locked.some((p) => key.startsWith(p));
  }

  #refuseLocked(name: string): void {
    if (!this.#isLocked(name.toLowerCase())) return;
    throw new DbError(
      SqlState.insufficientPrivilege,
      `permission denied to set parameter "${name}"`,
      { hint: "The JWT claims of a session come from its token and cannot be changed in SQL." },
    );
  }

  /** SET (local: until the transaction ends). */
  set(name: string, value: string, local: boolean, inTransaction: boolean): void {
    this.#refuseLocked(name);
    const key = name.toLowerCase();
    if (!this.values.has(key) && !key.includes(".")) raiseUnknown(name, false);
    if (
      [
        "server_version",
        "server_version_num",
        "max_identifier_length",
        "integer_datetimes",
        "server_encoding",
        "block_size",
        "lc_collate",
        "lc_ctype",
      ].includes(key)
    ) {
      throw new DbError(SqlState.cantChangeRuntimeParam, `parameter "${key}" cannot be changed`);
    }
    value = validate(key, value);
    if (local && !inTransaction) return;
    if (inTransaction) {
      // Remember the value before the transaction: SET LOCAL always reverts at its end, a plain
      // SET reverts only if the transaction rolls back.
      const map = local ? (this.#local ??= new Map()) : (this.#txnSet ??= new Map());
      if (!map.has(key)) map.set(key, this.#txnSet?.get(key) ?? this.values.get(key));
      if (!local && this.#local?.has(key)) this.#local.delete(key);
    }
    this.values.set(key, value);
  }

  reset(name: string | null): void {
    if (name === null) {
      // RESET ALL leaves the role settings alone (GUC_NO_RESET_ALL in PostgreSQL).
      for (const [k, v] of Object.entries(settingDefaults)) {
        if (!noResetAll.has(k) && !this.#isLocked(k)) this.values.set(k, this.#boot.get(k) ?? v);
      }
      return;
    }
    this.#refuseLocked(name);
    const key = name.toLowerCase();
    this.values.set(key, this.#boot.get(key) ?? settingDefaults[key] ?? "");
  }

  /** The state to return to at ROLLBACK TO SAVEPOINT. */
  mark(): SettingsMark {
    return {
      values: new Map(this.values),
      local: this.#local === null ? null : new Map(this.#local),
      txnSet: this.#txnSet === null ? null : new Map(this.#txnSet),
    };
  }

  /** ROLLBACK TO SAVEPOINT: every setting as it was when `m` was taken. */
  rollbackTo(m: SettingsMark): void {
    this.values.clear();
    for (const [k, v] of m.values) this.values.set(k, v);
    this.#local = m.local === null ? null : new Map(m.local);
    this.#txnSet = m.txnSet === null ? null : new Map(m.txnSet);
  }

  /** Transaction end: SET LOCAL values go back; `commit` keeps plain SETs made in it. */
  endTransaction(committed = true): void {
    const restore = (m: Map<string, string | undefined>) => {
      for (const [k, v] of m) this.values.set(k, v ?? "");
    };
    if (this.#txnSet !== null && !committed) restore(this.#txnSet);
    if (this.#local !== null) restore(this.#local);
    this.#local = null;
    this.#txnSet = null;
  }
}

function raiseUnknown(name: string, _custom: boolean): never {
  throw new DbError(SqlState.undefinedObject, `unrecognized configuration parameter "${name}"`);
}
