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

/** The settings of one session. */
export class Settings {
  readonly values = new Map<string, string>();
  #local: Map<string, string | undefined> | null = null;
  #txnSet: Map<string, string | undefined> | null = null;

  constructor(initial: Record<string, string> = {}) {
    for (const [k, v] of Object.entries(settingDefaults)) this.values.set(k, v);
    for (const [k, v] of Object.entries(initial)) this.values.set(k.toLowerCase(), v);
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

  /** SET (local: until the transaction ends). */
  set(name: string, value: string, local: boolean, inTransaction: boolean): void {
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
      for (const [k, v] of Object.entries(settingDefaults)) this.values.set(k, v);
      return;
    }
    const key = name.toLowerCase();
    this.values.set(key, settingDefaults[key] ?? "");
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
