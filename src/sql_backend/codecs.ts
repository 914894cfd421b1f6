/**
 * @module Types between the wire and the engine: result columns (RowDescription) with their
 * output functions (db/types `outputText`/`sendBinary` in the session's context, so TimeZone and
 * DateStyle apply), and bind parameters decoded with `inputText`/`recvBinary` (PostgreSQL's
 * typinput and typreceive) at Bind, as exec_bind_message does.
 */
import { type ColumnInfo, type Datum, DbError, SqlState } from "../../db/mod.ts";
import {
  type EvalContext,
  hasBinaryIo,
  inputText,
  Oid,
  outputText,
  recvBinary,
  sendBinary,
  typeByOid,
} from "../../db/types/mod.ts";
import type { BinaryOut, Column, FormatCode, OutputCodec } from "../pgwire/mod.ts";

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Output codecs of one session, one per type OID. */
export class Codecs {
  readonly #byOid = new Map<number, OutputCodec>();
  readonly #ctx: EvalContext;

  constructor(ctx: EvalContext) {
    this.#ctx = ctx;
  }

  /** The codec of `oid`, built once. */
  output(oid: number): OutputCodec {
    let codec = this.#byOid.get(oid);
    if (codec === undefined) {
      codec = makeCodec(oid, this.#ctx);
      this.#byOid.set(oid, codec);
    }
    return codec;
  }

  /** RowDescription columns for the engine's result columns. */
  columns(infos: readonly ColumnInfo[]): Column[] {
    return infos.map((c) => ({
      name: c.name,
      tableOid: c.tableOid,
      columnNumber: c.columnNumber,
      typeOid: c.typeOid,
      // Enums and other catalog types are 4-byte OIDs in PostgreSQL; varlena otherwise.
      typeSize: typeByOid(c.typeOid)?.len ?? 4,
      typeModifier: c.typmod,
      output: this.output(c.typeOid),
    }));
  }

  /** Decodes one Bind parameter (`index` counts from 0) of type `oid`. */
  param(oid: number, value: Uint8Array | null, format: FormatCode, index: number): Datum {
    if (value === null) return null;
    if (format === 1) {
      try {
        // A copy: the value is a view into the connection's read buffer.
        return recvBinary(oid, value.slice(), this.#ctx);
      } catch (err) {
        if (!(err instanceof DbError) || err.code !== SqlState.invalidBinaryRepresentation) {
          throw err;
        }
        // As exec_bind_message: a value too short runs out of message (pq_getmsg*), one with
        // bytes left over is reported against its parameter.
        if (err.message === "insufficient data left in message") {
          throw new DbError(SqlState.protocolViolation, err.message);
        }
        throw new DbError(
          SqlState.invalidBinaryRepresentation,
          `incorrect binary data format in bind parameter ${index + 1}`,
        );
      }
    }
    let text: string;
    try {
      text = utf8.decode(value);
    } catch {
      throw new DbError(
        SqlState.characterNotInRepertoire,
        'invalid byte sequence for encoding "UTF8"',
      );
    }
    if (oid === Oid.text || oid === Oid.varchar || oid === Oid.unknown || oid === 0) return text;
    return inputText(oid, text, -1, this.#ctx);
  }
}

/** typoutput and typsend of `oid`, with hand-written fast paths for the commonest types. */
function makeCodec(oid: number, ctx: EvalContext): OutputCodec {
  switch (oid) {
    case Oid.int2:
    case Oid.int4:
      return { text: (v) => String(v), binary: (v, out) => writeInt(out, oid, v as number) };
    case Oid.int8:
      return { text: (v) => String(v), binary: (v, out) => out.int64(BigInt(v as bigint)) };
    case Oid.text:
    case Oid.varchar:
    case Oid.name:
      return { text: (v) => v as string, binary: (v, out) => out.utf8(v as string) };
  }
  const text = (v: unknown) => outputText(oid, v as Datum, ctx);
  // Enums (catalog types with no built-in entry) send their label as text, as PostgreSQL does.
  if (!hasBinaryIo(oid) && typeByOid(oid) !== undefined) return { text };
  return { text, binary: (v, out) => out.bytes(sendBinary(oid, v as Datum, ctx)) };
}

function writeInt(out: BinaryOut, oid: number, v: number): void {
  if (oid === Oid.int2) out.int16(v);
  else out.int32(v);
}
