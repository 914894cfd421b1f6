/**
 * @module The case-file format: sqllogictest-style records (DuckDB's directives, without expected
 * output because PostgreSQL computes it live). A record is a directive line followed by SQL lines
 * up to a blank line:
 *
 *   statement ok                      the SQL must succeed; command tags are compared
 *   statement error <SQLSTATE> [error-message]
 *                                     the SQL must fail with that SQLSTATE (on PostgreSQL too);
 *                                     `error-message` makes a message mismatch a failure
 *   query [rowsort|nosort|plan]       rows are compared; without a mode the order is compared
 *                                     only if the SQL has a top-level ORDER BY; `plan` (EXPLAIN)
 *                                     checks the columns and that some rows came back
 *   connection <name>                 later records run on that session (`default` is the first)
 *
 * Lines starting with `#` are comments. `halt`, `skipif` and `onlyif` are refused: no skipping.
 */

/** How a query's rows are compared. */
export type SortMode = "rowsort" | "nosort" | "plan";

/** One case. `line` is the 1-based line of its directive. */
export interface SltRecord {
  line: number;
  kind: "statement" | "query";
  /** For statements: the SQLSTATE it must fail with, or null if it must succeed. */
  errorCode: string | null;
  checkMessage: boolean;
  sort: SortMode;
  sql: string;
  connection: string;
}

/** Parses a case file; throws with the file's line on a malformed directive. */
export function parseSlt(text: string, file = "<slt>"): SltRecord[] {
  const lines = text.split("\n");
  const records: SltRecord[] = [];
  let connection = "default";
  let i = 0;
  const fail = (n: number, msg: string): never => {
    throw new Error(`${file}:${n + 1}: ${msg}`);
  };
  while (i < lines.length) {
    const raw = lines[i]!;
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) {
      i++;
      continue;
    }
    const words = line.split(/\s+/);
    const head = words[0]!;
    if (head === "connection") {
      if (words.length !== 2) fail(i, "connection needs one name");
      connection = words[1]!;
      i++;
      continue;
    }
    if (head !== "statement" && head !== "query") fail(i, `unknown directive "${head}"`);
    const start = i;
    const sqlLines: string[] = [];
    i++;
    while (i < lines.length && lines[i]!.trim() !== "") sqlLines.push(lines[i++]!);
    const sql = sqlLines.join("\n").trim();
    if (sql === "") fail(start, "record without SQL");
    const rec: SltRecord = {
      line: start + 1,
      kind: head as "statement" | "query",
      errorCode: null,
      checkMessage: false,
      sort: hasTopLevelOrderBy(sql) ? "nosort" : "rowsort",
      sql,
      connection,
    };
    if (head === "statement") {
      if (words[1] === "ok" && words.length === 2) {
        // nothing more
      } else if (words[1] === "error" && /^[0-9A-Z]{5}$/.test(words[2] ?? "")) {
        rec.errorCode = words[2]!;
        if (words.length === 4 && words[3] === "error-message") rec.checkMessage = true;
        else if (words.length !== 3) fail(start, `bad statement directive "${line}"`);
      } else {
        fail(
          start,
          `bad statement directive "${line}" (statement ok | statement error <SQLSTATE>)`,
        );
      }
    } else {
      for (const w of words.slice(1)) {
        if (w === "rowsort" || w === "nosort" || w === "plan") rec.sort = w;
        else if (/^[ITRB]+$/.test(w)) continue; // sqllogictest column letters: ignored
        else fail(start, `bad query option "${w}"`);
      }
    }
    records.push(rec);
  }
  return records;
}

/**
 * True if the SQL has ORDER BY outside parentheses, string literals, quoted identifiers and
 * comments — i.e. the statement's own ORDER BY, not a window's or a subquery's.
 */
export function hasTopLevelOrderBy(sql: string): boolean {
  let depth = 0;
  let out = "";
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      const end = sql.indexOf(c, i + 1);
      i = end < 0 ? sql.length : end;
      out += " ";
      continue;
    }
    if (c === "-" && sql[i + 1] === "-") {
      const end = sql.indexOf("\n", i);
      i = end < 0 ? sql.length : end;
      continue;
    }
    if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (depth === 0) out += c;
  }
  // Only the last statement's ORDER BY matters for the rows compared.
  const last = out.split(";").filter((s) => s.trim() !== "").pop() ?? "";
  return /\border\s+by\b/i.test(last);
}
