/**
 * @module Backend messages of protocol 3.0, each written straight into a {@link WireWriter}: no
 * intermediate objects, so a reply to a whole pipeline is one buffer and one write.
 */
import { DbError, SqlState } from "../../db/sqlstate.ts";
import type { Column, CopyFormat, Notification, TransactionStatus } from "./backend.ts";
import type { WireWriter } from "./codec.ts";
import type { FormatCode } from "./messages.ts";

/** Type bytes of backend messages. */
export const Reply = {
  authentication: 0x52, // R
  backendKeyData: 0x4b, // K
  bindComplete: 0x32, // 2
  closeComplete: 0x33, // 3
  commandComplete: 0x43, // C
  copyData: 0x64, // d
  copyDone: 0x63, // c
  copyInResponse: 0x47, // G
  copyOutResponse: 0x48, // H
  dataRow: 0x44, // D
  emptyQueryResponse: 0x49, // I
  errorResponse: 0x45, // E
  negotiateProtocolVersion: 0x76, // v
  noData: 0x6e, // n
  noticeResponse: 0x4e, // N
  notificationResponse: 0x41, // A
  parameterDescription: 0x74, // t
  parameterStatus: 0x53, // S
  parseComplete: 0x31, // 1
  portalSuspended: 0x73, // s
  readyForQuery: 0x5a, // Z
  rowDescription: 0x54, // T
} as const;

/** Authentication request codes. */
export const AuthCode = { ok: 0, cleartextPassword: 3, sasl: 10, saslContinue: 11, saslFinal: 12 };

/** A message with no body (ParseComplete, BindComplete, NoData, …). */
export function writeEmpty(w: WireWriter, type: number): void {
  w.end(w.begin(type));
}

/** An Authentication request; `data` follows the code (SASL mechanisms or SASL data). */
export function writeAuth(
  w: WireWriter,
  code: number,
  data?: Uint8Array | readonly string[],
): void {
  const at = w.begin(Reply.authentication);
  w.int32(code);
  if (data instanceof Uint8Array) w.bytes(data);
  else if (data !== undefined) {
    for (const s of data) w.cstring(s);
    w.int8(0);
  }
  w.end(at);
}

export function writeParameterStatus(w: WireWriter, name: string, value: string): void {
  const at = w.begin(Reply.parameterStatus);
  w.cstring(name);
  w.cstring(value);
  w.end(at);
}

export function writeBackendKeyData(w: WireWriter, processId: number, secretKey: number): void {
  const at = w.begin(Reply.backendKeyData);
  w.int32(processId);
  w.int32(secretKey);
  w.end(at);
}

export function writeReadyForQuery(w: WireWriter, status: TransactionStatus): void {
  const at = w.begin(Reply.readyForQuery);
  w.int8(status.charCodeAt(0));
  w.end(at);
}

/** NegotiateProtocolVersion: the newest minor version we speak and the options we ignored. */
export function writeNegotiateProtocolVersion(
  w: WireWriter,
  minor: number,
  unrecognized: readonly string[],
): void {
  const at = w.begin(Reply.negotiateProtocolVersion);
  w.int32(minor);
  w.int32(unrecognized.length);
  for (const s of unrecognized) w.cstring(s);
  w.end(at);
}

/** RowDescription; `formats` gives each column's format (all text when absent). */
export function writeRowDescription(
  w: WireWriter,
  columns: readonly Column[],
  formats?: readonly FormatCode[],
): void {
  const at = w.begin(Reply.rowDescription);
  w.int16(columns.length);
  for (let i = 0; i < columns.length; i++) {
    const c = columns[i]!;
    w.cstring(c.name);
    w.int32(c.tableOid);
    w.int16(c.columnNumber);
    w.int32(c.typeOid);
    w.int16(c.typeSize);
    w.int32(c.typeModifier);
    w.int16(formats?.[i] ?? 0);
  }
  w.end(at);
}

/** ParameterDescription. */
export function writeParameterDescription(w: WireWriter, oids: readonly number[]): void {
  const at = w.begin(Reply.parameterDescription);
  w.int16(oids.length);
  for (const oid of oids) w.int32(oid | 0);
  w.end(at);
}

/**
 * DataRow: each value through its column's output function, straight into the buffer; the
 * length of each value is patched in after it is written.
 */
export function writeDataRow(
  w: WireWriter,
  columns: readonly Column[],
  formats: readonly FormatCode[] | undefined,
  values: readonly unknown[],
): void {
  const at = w.begin(Reply.dataRow);
  const n = columns.length;
  w.int16(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      w.int32(-1);
      continue;
    }
    const lenAt = w.length;
    w.int32(0);
    const output = columns[i]!.output;
    if (formats !== undefined && formats[i] === 1) output.binary!(v, w);
    else w.utf8(output.text(v));
    w.patchInt32(lenAt, w.length - lenAt - 4);
  }
  w.end(at);
}

export function writeCommandComplete(w: WireWriter, tag: string): void {
  const at = w.begin(Reply.commandComplete);
  w.cstring(tag);
  w.end(at);
}

/** CopyInResponse or CopyOutResponse. */
export function writeCopyResponse(w: WireWriter, type: number, format: CopyFormat): void {
  const at = w.begin(type);
  w.int8(format.format);
  w.int16(format.columnFormats.length);
  for (const f of format.columnFormats) w.int16(f);
  w.end(at);
}

/** CopyData carrying `chunk`. */
export function writeCopyData(w: WireWriter, chunk: Uint8Array | string): void {
  const at = w.begin(Reply.copyData);
  if (typeof chunk === "string") w.utf8(chunk);
  else w.bytes(chunk);
  w.end(at);
}

export function writeNotification(w: WireWriter, n: Notification): void {
  const at = w.begin(Reply.notificationResponse);
  w.int32(n.processId);
  w.cstring(n.channel);
  w.cstring(n.payload);
  w.end(at);
}

/** An error that is not a DbError is a bug: XX000 with its message. */
export function toDbError(err: unknown): DbError {
  if (err instanceof DbError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new DbError(SqlState.internalError, message);
}

/**
 * ErrorResponse (or NoticeResponse with `type` = Reply.noticeResponse) with every field the
 * error carries: S V C M D H P p q W s t c d n.
 */
export function writeError(w: WireWriter, err: DbError, type: number = Reply.errorResponse): void {
  const at = w.begin(type);
  const f = err.fields;
  const field = (code: string, value: string | number | undefined) => {
    if (value === undefined) return;
    w.int8(code.charCodeAt(0));
    w.cstring(String(value));
  };
  field("S", err.severity);
  field("V", err.severity);
  field("C", err.code);
  field("M", err.message);
  field("D", f.detail);
  field("H", f.hint);
  field("P", f.position);
  field("p", f.internalPosition);
  field("q", f.internalQuery);
  field("W", f.where);
  field("s", f.schema);
  field("t", f.table);
  field("c", f.column);
  field("d", f.dataType);
  field("n", f.constraint);
  w.int8(0);
  w.end(at);
}
