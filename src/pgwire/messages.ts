/**
 * @module Frontend messages of protocol 3.0: their type bytes and decoders from a
 * {@link MessageCursor}. Every decoder checks counts against the limits and that the message holds
 * exactly the fields it declares (PostgreSQL's pq_getmsgend).
 */
import { DbError, SqlState } from "../../db/sqlstate.ts";
import { type MessageCursor, protocolViolation } from "./codec.ts";
import { pgwireLimits } from "./limits.ts";

/** Type bytes of frontend messages. */
export const Frontend = {
  bind: 0x42, // B
  close: 0x43, // C
  copyData: 0x64, // d
  copyDone: 0x63, // c
  copyFail: 0x66, // f
  describe: 0x44, // D
  execute: 0x45, // E
  flush: 0x48, // H
  functionCall: 0x46, // F
  parse: 0x50, // P
  password: 0x70, // p (also SASLInitialResponse and SASLResponse)
  query: 0x51, // Q
  sync: 0x53, // S
  terminate: 0x58, // X
} as const;

/** A format code: 0 text, 1 binary. */
export type FormatCode = 0 | 1;

/** Parse: prepare `sql` as statement `name` ("" is the unnamed statement). */
export interface ParseMessage {
  name: string;
  sql: string;
  paramTypeOids: number[];
}

/** Bind: make portal `portal` from statement `statement` with parameter values. */
export interface BindMessage {
  portal: string;
  statement: string;
  /** One format per parameter (expanded from the message's 0, 1 or n codes). */
  paramFormats: FormatCode[];
  /** Parameter values; views into the read buffer, null for SQL NULL. */
  values: (Uint8Array | null)[];
  /** The result format codes as sent (0, 1 or one per column); expanded once columns are known. */
  resultFormats: FormatCode[];
}

/** Describe or Close: a statement ('S') or a portal ('P') by name. */
export interface TargetMessage {
  kind: "S" | "P";
  name: string;
}

function format(code: number): FormatCode {
  if (code === 0 || code === 1) return code;
  throw new DbError(SqlState.invalidParameterValue, `unsupported format code: ${code}`);
}

/** Decodes Parse. */
export function decodeParse(c: MessageCursor): ParseMessage {
  const name = c.cstring();
  const sql = c.cstring();
  const n = c.uint16();
  if (n * 4 > c.remaining) throw protocolViolation("insufficient data left in message");
  const paramTypeOids = new Array<number>(n);
  for (let i = 0; i < n; i++) paramTypeOids[i] = c.int32() >>> 0;
  c.finish();
  return { name, sql, paramTypeOids };
}

/** Decodes Bind. */
export function decodeBind(c: MessageCursor): BindMessage {
  const portal = c.cstring();
  const statement = c.cstring();
  const nFormats = c.uint16();
  if (nFormats * 2 > c.remaining) throw protocolViolation("insufficient data left in message");
  const formats: FormatCode[] = new Array(nFormats);
  for (let i = 0; i < nFormats; i++) formats[i] = format(c.int16());
  const nParams = c.uint16();
  if (nParams > pgwireLimits.paramsMax || nParams * 4 > c.remaining) {
    throw protocolViolation("insufficient data left in message");
  }
  if (nFormats > 1 && nFormats !== nParams) {
    throw protocolViolation(
      `bind message has ${nFormats} parameter formats but ${nParams} parameters`,
      false,
    );
  }
  const values: (Uint8Array | null)[] = new Array(nParams);
  const paramFormats: FormatCode[] = new Array(nParams);
  const one: FormatCode = nFormats === 1 ? formats[0]! : 0;
  for (let i = 0; i < nParams; i++) {
    const len = c.int32();
    if (len < -1) throw protocolViolation(`invalid length ${len} of parameter ${i + 1}`);
    values[i] = len === -1 ? null : c.bytes(len);
    paramFormats[i] = nFormats > 1 ? formats[i]! : one;
  }
  const nResult = c.uint16();
  if (nResult * 2 > c.remaining) throw protocolViolation("insufficient data left in message");
  const resultFormats: FormatCode[] = new Array(nResult);
  for (let i = 0; i < nResult; i++) resultFormats[i] = format(c.int16());
  c.finish();
  return { portal, statement, paramFormats, values, resultFormats };
}

/** Decodes Describe or Close. */
export function decodeTarget(c: MessageCursor, what: "DESCRIBE" | "CLOSE"): TargetMessage {
  const kind = c.byte();
  const name = c.cstring();
  c.finish();
  if (kind === 0x53) return { kind: "S", name };
  if (kind === 0x50) return { kind: "P", name };
  throw protocolViolation(`invalid ${what} message subtype ${kind}`);
}

/** Decodes Execute: the portal and its row limit (0 = all rows). */
export function decodeExecute(c: MessageCursor): { portal: string; maxRows: number } {
  const portal = c.cstring();
  const maxRows = c.int32();
  c.finish();
  return { portal, maxRows: maxRows <= 0 ? 0 : maxRows };
}

/** Decodes Query. */
export function decodeQuery(c: MessageCursor): string {
  const sql = c.cstring();
  c.finish();
  return sql;
}

/**
 * Expands result format codes to one per column: 0 codes → all text, 1 → that code for all,
 * n → as given (n must equal the column count).
 */
export function expandResultFormats(codes: readonly FormatCode[], columns: number): FormatCode[] {
  if (codes.length === 0) return new Array<FormatCode>(columns).fill(0);
  if (codes.length === 1) return new Array<FormatCode>(columns).fill(codes[0]!);
  if (codes.length !== columns) {
    throw protocolViolation(
      `bind message has ${codes.length} result formats but query has ${columns} columns`,
      false,
    );
  }
  return codes.slice();
}
