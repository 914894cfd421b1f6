/**
 * @module COPY FROM STDIN and COPY TO STDOUT in a simple Query: the COPY sub-protocol on the
 * wire (CopyInResponse, the client's CopyData up to CopyDone or CopyFail; CopyOutResponse,
 * CopyData per row, CopyDone) around the engine's `copyIn`/`copyOut`. Text and CSV only, as the
 * engine; psql's `\copy` and pgbench's initialisation use this path.
 */
import { DbError, type Session as EngineSession, SqlState } from "../../db/mod.ts";
import type { Catalog } from "../../db/catalog/mod.ts";
import { parse, type Statement as SqlStatement } from "../../db/sql/mod.ts";
import type { QuerySink } from "../pgwire/mod.ts";
import { sqlBackendLimits } from "./limits.ts";

const copyStart = /^\s*copy\b/i;

type CopyStmt = Extract<SqlStatement, { kind: "copy" }>;

/** The COPY statement of `sql` when it is one COPY from stdin or to stdout, else undefined. */
export function stdioCopy(sql: string): CopyStmt | undefined {
  if (!copyStart.test(sql)) return undefined;
  let stmts: SqlStatement[];
  try {
    stmts = parse(sql);
  } catch {
    return undefined; // The engine reports the syntax error itself.
  }
  const stmt = stmts[0];
  if (stmts.length !== 1 || stmt?.kind !== "copy" || stmt.target.kind !== "stdio") {
    return undefined;
  }
  return stmt;
}

/** Runs one stdio COPY with the sub-protocol on `sink`. */
export async function runCopy(
  engine: EngineSession,
  catalog: Catalog,
  sql: string,
  stmt: CopyStmt,
  sink: QuerySink,
): Promise<void> {
  if (stmt.isFrom) {
    const columns = stmt.columns.length || columnCount(catalog, stmt);
    const data = sink.copyIn({ format: 0, columnFormats: new Array(columns).fill(0) });
    const r = await engine.copyIn(sql, bounded(data));
    sink.complete(r.command);
    return;
  }
  const r = await engine.copyOut(sql);
  const out = sink.copyOut({ format: 0, columnFormats: new Array(r.columns).fill(0) });
  for (const line of r.data) await out.data(line);
  out.done();
  sink.complete(r.command);
}

/** The client's COPY data within the byte limit (the engine decodes each chunk at once). */
async function* bounded(data: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  let bytes = 0;
  for await (const chunk of data) {
    bytes += chunk.length;
    if (bytes > sqlBackendLimits.copyInBytesMax) {
      throw new DbError(
        SqlState.programLimitExceeded,
        `COPY FROM STDIN data exceeds ${sqlBackendLimits.copyInBytesMax} bytes`,
      );
    }
    yield chunk;
  }
}

/** The number of columns a COPY into a table without a column list reads (for CopyInResponse). */
function columnCount(catalog: Catalog, stmt: CopyStmt): number {
  const rv = stmt.relation;
  if (rv === null) return 0;
  for (const schema of rv.schema ? [rv.schema] : ["public", "pg_catalog"]) {
    const ns = catalog.namespaces.get(schema);
    const rel = ns === undefined ? undefined : catalog.relation(ns.oid, rv.name);
    if (rel !== undefined) return rel.columns.filter((c) => !c.dropped).length;
  }
  return 0;
}
