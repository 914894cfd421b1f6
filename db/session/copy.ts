/**
 * @module COPY's text and CSV formats: splitting input into rows and fields (backslash escapes
 * and \N in text; quotes, doubled quotes and the HEADER line in CSV) and formatting rows for
 * COPY … TO STDOUT.
 */
import { DbError, SqlState } from "../sqlstate.ts";

/** COPY options that shape the format. */
export interface CopyFormat {
  csv: boolean;
  delimiter: string;
  nullText: string;
  header: boolean;
  quote: string;
}

/** The format from COPY's option list. */
export function copyFormat(
  options: { name: string; arg: { value?: unknown } | null }[],
): CopyFormat {
  const get = (n: string) => {
    const o = options.find((x) => x.name === n);
    return o === undefined ? undefined : o.arg === null ? true : o.arg.value;
  };
  const fmt = String(get("format") ?? "text").toLowerCase();
  if (fmt !== "text" && fmt !== "csv") {
    throw new DbError(SqlState.featureNotSupported, `COPY format "${fmt}" not recognized`);
  }
  const csv = fmt === "csv";
  const header = get("header");
  return {
    csv,
    delimiter: String(get("delimiter") ?? (csv ? "," : "\t")),
    nullText: String(get("null") ?? (csv ? "" : "\\N")),
    header: header === true || header === "true" || header === "on" || header === 1,
    quote: String(get("quote") ?? '"'),
  };
}

function unescapeText(s: string): string {
  return s.replace(
    /\\(.)/g,
    (_m, c: string) =>
      ({ n: "\n", t: "\t", r: "\r", b: "\b", f: "\f", v: "\v", "\\": "\\" } as Record<
        string,
        string
      >)[c] ?? c,
  );
}

/** Splits COPY input into rows of fields (null for NULL). */
export function parseCopy(text: string, f: CopyFormat): (string | null)[][] {
  const out: (string | null)[][] = [];
  if (!f.csv) {
    const body = text.endsWith("\n") ? text.slice(0, -1) : text;
    if (body === "") return out;
    for (const line of body.split("\n")) {
      const l = line.endsWith("\r") ? line.slice(0, -1) : line;
      if (l === "\\.") break;
      out.push(l.split(f.delimiter).map((x) => (x === f.nullText ? null : unescapeText(x))));
    }
    return f.header ? out.slice(1) : out;
  }
  let row: (string | null)[] = [];
  let field = "";
  let quoted = false;
  let wasQuoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === f.quote) {
        if (text[i + 1] === f.quote) {
          field += ch;
          i++;
        } else quoted = false;
      } else field += ch;
      continue;
    }
    if (ch === f.quote) {
      quoted = true;
      wasQuoted = true;
    } else if (ch === f.delimiter) {
      row.push(!wasQuoted && field === f.nullText ? null : field);
      field = "";
      wasQuoted = false;
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(!wasQuoted && field === f.nullText ? null : field);
      if (!(row.length === 1 && row[0] === "\\.")) out.push(row);
      row = [];
      field = "";
      wasQuoted = false;
    } else field += ch;
  }
  if (field !== "" || row.length > 0) {
    row.push(!wasQuoted && field === f.nullText ? null : field);
    if (!(row.length === 1 && row[0] === "\\.")) out.push(row);
  }
  return f.header ? out.slice(1) : out;
}

function escapeText(s: string, delim: string): string {
  let out = "";
  for (const ch of s) {
    if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch === delim) out += `\\${ch}`;
    else out += ch;
  }
  return out;
}

/** One output line (with its newline). */
export function formatCopyRow(fields: (string | null)[], f: CopyFormat): string {
  if (!f.csv) {
    return fields.map((x) => (x === null ? f.nullText : escapeText(x, f.delimiter))).join(
      f.delimiter,
    ) + "\n";
  }
  return fields.map((x) => {
    if (x === null) return f.nullText;
    const needs = x === "" || x.includes(f.delimiter) || x.includes(f.quote) || /[\r\n]/.test(x) ||
      x === f.nullText;
    return needs ? f.quote + x.split(f.quote).join(f.quote + f.quote) + f.quote : x;
  }).join(f.delimiter) + "\n";
}
