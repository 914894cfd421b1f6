/**
 * @module What the engine says besides results: its queued notices become NoticeResponses with
 * PostgreSQL's SQLSTATEs, and changes to the settings PostgreSQL reports (GUC_REPORT) become
 * ParameterStatus messages.
 */
import { DbError, type Session as EngineSession, SqlState } from "../../db/mod.ts";
import type { Severity, SqlStateCode } from "../../db/sqlstate.ts";
import type { SessionEvents } from "../pgwire/mod.ts";

/** SQLSTATEs of the engine's notices that are not plain 00000 / 01000. */
const noticeCodes: Record<string, SqlStateCode> = {
  "there is already a transaction in progress": SqlState.activeSqlTransaction,
  "there is no transaction in progress": SqlState.noActiveSqlTransaction,
};

/** Sends and clears the engine session's queued notices. */
export function sendNotices(engine: EngineSession, events: SessionEvents): void {
  const list = engine.notices;
  if (list.length === 0) return;
  for (const n of list) {
    const severity = n.severity.toUpperCase() as Severity;
    const code = noticeCodes[n.message] ??
      (severity === "WARNING" ? SqlState.warning : SqlState.successfulCompletion);
    events.notice(new DbError(code, n.message, { severity }));
  }
  list.length = 0;
}

/** PostgreSQL's reported settings a session can change: wire name and setting name. */
const reportedSettings: readonly [string, string][] = [
  ["application_name", "application_name"],
  ["DateStyle", "datestyle"],
  ["IntervalStyle", "intervalstyle"],
  ["TimeZone", "timezone"],
  ["default_transaction_read_only", "default_transaction_read_only"],
  ["standard_conforming_strings", "standard_conforming_strings"],
  ["is_superuser", "is_superuser"],
  ["session_authorization", "session_authorization"],
];

/** Command tags after which a reported setting may have changed. */
const settingTags = new Set(["SET", "RESET", "DISCARD ALL", "COMMIT", "ROLLBACK"]);

/**
 * Tracks the reported settings' last sent values. As PostgreSQL (ReportChangedGUCOptions), changes
 * are sent just before ReadyForQuery; only after a statement that can change one (SET, RESET,
 * DISCARD, the end of a transaction that may undo a SET LOCAL) are the values compared.
 */
export class ReportedSettings {
  readonly #sent = new Map<string, string>();
  #dirty = true;

  /** Notes a completed statement's tag. */
  noteTag(tag: string): void {
    if (settingTags.has(tag)) this.#dirty = true;
  }

  /** Sends every reported setting whose value differs from what the client was told. */
  sendChanges(engine: EngineSession, events: SessionEvents): void {
    if (!this.#dirty) return;
    this.#dirty = false;
    for (const [wire, key] of reportedSettings) {
      const value = engine.getSetting(key) ?? "";
      if (this.#sent.get(wire) === value) continue;
      this.#sent.set(wire, value);
      events.parameterStatus(wire, value);
    }
  }
}
