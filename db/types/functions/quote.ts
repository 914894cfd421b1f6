/**
 * @module quote_ident / quote_literal as PostgreSQL does them, and format() (%s %I %L %%,
 * positional `%1$s`, widths `%-10s` and `%*s`).
 */
import type { Datum } from "../../datum.ts";
import { DbError, SqlState } from "../../sqlstate.ts";
import type { EvalContext } from "../context.ts";
import { outputText } from "../io.ts";
import { Oid } from "../oids.ts";
import { defineFunction } from "./registry.ts";

/** Keywords quote_ident must quote (every category but unreserved). */
const keywords = new Set(
  `all analyse analyze and any array as asc asymmetric authorization between bigint binary bit
both case cast char character check coalesce collate collation column concurrently constraint create cross
current_catalog current_date current_role current_schema current_time current_timestamp current_user dec
decimal default deferrable desc distinct do else end except exists extract false fetch float for foreign
freeze from full grant greatest group grouping having ilike in initially inner inout int integer intersect
interval into is isnull join json_array json_arrayagg json_object json_objectagg lateral leading least left
like limit localtime localtimestamp national natural nchar none normalize not notnull null nullif numeric
offset on only or order out outer overlaps overlay placing position precision primary real references
returning right row select session_user setof similar smallint some substring symmetric system_user table
tablesample then time timestamp to trailing treat trim true union unique user using values varchar variadic
verbose when where window with xmlattributes xmlconcat xmlelement xmlexists xmlforest xmlnamespaces
xmlparse xmlpi xmlroot xmlserialize xmltable`.split(/\s+/),
);

/** quote_ident. */
export function quoteIdent(s: string): string {
  if (/^[a-z_][a-z0-9_$]*$/.test(s) && !keywords.has(s)) return s;
  return '"' + s.replaceAll('"', '""') + '"';
}

/** quote_literal: 'it''s'; with backslashes, E'…' and doubled backslashes. */
export function quoteLiteral(s: string): string {
  const body = s.replaceAll("'", "''");
  return s.includes("\\") ? "E'" + body.replaceAll("\\", "\\\\") + "'" : "'" + body + "'";
}

function formatError(msg: string): DbError {
  return new DbError(SqlState.invalidParameterValue, msg);
}

/** text_format: PostgreSQL's format(). `args` and `types` include the format string at 0. */
export function formatText(args: Datum[], types: number[], ctx: EvalContext): string {
  const fmt = args[0] as string;
  let out = "";
  let next = 1;
  let i = 0;
  const argText = (k: number): string | null => {
    if (k >= args.length) throw formatError("too few arguments for format()");
    const v = args[k]!;
    if (v === null) return null;
    const t = types[k]!;
    return t === Oid.text || t === Oid.unknown || t === Oid.varchar
      ? (v as string)
      : outputText(t, v, ctx);
  };
  while (i < fmt.length) {
    const c = fmt[i]!;
    if (c !== "%") {
      out += c;
      i++;
      continue;
    }
    i++;
    if (fmt[i] === "%") {
      out += "%";
      i++;
      continue;
    }
    let m = /^(\d+)\$/.exec(fmt.slice(i));
    let argIndex: number | undefined;
    if (m !== null) {
      argIndex = Number(m[1]);
      if (argIndex === 0) {
        throw formatError("format specifies argument 0, but arguments are numbered from 1");
      }
      i += m[0].length;
    }
    let leftAlign = false;
    if (fmt[i] === "-") {
      leftAlign = true;
      i++;
    }
    let width = 0;
    if (fmt[i] === "*") {
      i++;
      let wIndex = next;
      const wm = /^(\d+)\$/.exec(fmt.slice(i));
      if (wm !== null) {
        wIndex = Number(wm[1]);
        i += wm[0].length;
      } else next++;
      const w = args[wIndex];
      if (wIndex >= args.length) throw formatError("too few arguments for format()");
      width = w === null ? 0 : Number(w);
      if (width < 0) {
        leftAlign = true;
        width = -width;
      }
    } else {
      m = /^\d+/.exec(fmt.slice(i));
      if (m !== null) {
        width = Number(m[0]);
        i += m[0].length;
      }
    }
    const type = fmt[i];
    if (type === undefined) throw formatError("unterminated format() type specifier");
    i++;
    if (type !== "s" && type !== "I" && type !== "L") {
      throw formatError(`unrecognized format() type specifier "${type}"`);
    }
    const k = argIndex ?? next;
    next = k + 1;
    const v = argText(k);
    let s: string;
    if (type === "s") s = v ?? "";
    else if (type === "I") {
      if (v === null) {
        throw new DbError(
          SqlState.nullValueNotAllowed,
          "null values cannot be formatted as an SQL identifier",
        );
      }
      s = quoteIdent(v);
    } else s = v === null ? "NULL" : quoteLiteral(v);
    const len = [...s].length;
    if (len < width) s = leftAlign ? s + " ".repeat(width - len) : " ".repeat(width - len) + s;
    out += s;
  }
  return out;
}

defineFunction("format", [Oid.text], Oid.text, (args, ctx, t) => formatText(args, t, ctx), {
  volatility: "s",
});
defineFunction(
  "format",
  [Oid.text, Oid.any],
  Oid.text,
  (args, ctx, t) => (args[0] === null ? null : formatText(args, t, ctx)),
  {
    variadic: Oid.any,
    strict: false,
    volatility: "s",
  },
);
