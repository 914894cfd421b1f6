/**
 * @module The extended query protocol on one connection (PostgreSQL's exec_parse_message,
 * exec_bind_message, exec_describe_*_message, exec_execute_message): named and unnamed
 * statements and portals, result formats per column, row limits with PortalSuspended, and the
 * rule that after an error every message is skipped until Sync.
 */
import { DbError, SqlState } from "../../db/sqlstate.ts";
import type { Column, Portal, RowSink, Session, Statement } from "./backend.ts";
import { type MessageCursor, protocolViolation, typeName, type WireWriter } from "./codec.ts";
import { pgwireLimits } from "./limits.ts";
import {
  decodeBind,
  decodeExecute,
  decodeParse,
  decodeTarget,
  expandResultFormats,
  type FormatCode,
  Frontend,
} from "./messages.ts";
import {
  Reply,
  writeCommandComplete,
  writeEmpty,
  writeParameterDescription,
  writeRowDescription,
} from "./replies.ts";

/** A portal and the formats its rows are sent in. */
export interface PortalEntry {
  portal: Portal;
  columns: readonly Column[] | null;
  formats: FormatCode[];
}

/** The part of a connection the extended protocol works on. */
export interface ExtendedState extends RowSink {
  readonly out: WireWriter;
  readonly cursor: MessageCursor;
  readonly statements: Map<string, Statement>;
  readonly portals: Map<string, PortalEntry>;
  readonly session: Session | undefined;
  skipTillSync: boolean;
  reportError(err: unknown): void;
  readyForQuery(): void;
  closeStatement(name: string): void;
  closePortal(name: string): void;
  useColumns(columns: readonly Column[] | null, formats: readonly FormatCode[] | undefined): void;
  flush(): Promise<void>;
}

/** Handles one non-Query message; an error starts skipping until Sync. */
export async function handleExtended(s: ExtendedState, type: number): Promise<void> {
  try {
    switch (type) {
      case Frontend.parse:
        return await parse(s);
      case Frontend.bind:
        return await bind(s);
      case Frontend.execute:
        return await execute(s);
      case Frontend.describe:
        return describe(s);
      case Frontend.close:
        return close(s);
      case Frontend.sync:
        return await sync(s);
      case Frontend.flush:
        s.cursor.finish();
        return await s.flush();
      case Frontend.copyData:
      case Frontend.copyDone:
      case Frontend.copyFail:
        // Left over from a COPY that failed: PostgreSQL accepts and ignores them.
        return;
      case Frontend.functionCall:
        throw new DbError(
          SqlState.featureNotSupported,
          "fastpath function calls are not supported",
        );
      default:
        throw protocolViolation(`invalid frontend message type ${type} ("${typeName(type)}")`);
    }
  } catch (err) {
    s.reportError(err);
    s.skipTillSync = true;
  }
}

function statementNotFound(name: string): DbError {
  return new DbError(
    SqlState.invalidSqlStatementName,
    name === ""
      ? "unnamed prepared statement does not exist"
      : `prepared statement "${name}" does not exist`,
  );
}

function portalNotFound(name: string): DbError {
  return new DbError(SqlState.invalidCursorName, `portal "${name}" does not exist`);
}

async function parse(s: ExtendedState): Promise<void> {
  const m = decodeParse(s.cursor);
  if (m.name === "") s.closeStatement("");
  else if (s.statements.has(m.name)) {
    throw new DbError(
      SqlState.duplicatePreparedStatement,
      `prepared statement "${m.name}" already exists`,
    );
  }
  if (s.statements.size >= pgwireLimits.statementsMax) {
    throw new DbError(
      SqlState.programLimitExceeded,
      `too many prepared statements (at most ${pgwireLimits.statementsMax})`,
    );
  }
  const stmt = await s.session!.prepare(m.sql, m.paramTypeOids);
  s.statements.set(m.name, stmt);
  writeEmpty(s.out, Reply.parseComplete);
}

async function bind(s: ExtendedState): Promise<void> {
  const m = decodeBind(s.cursor);
  const stmt = s.statements.get(m.statement);
  if (stmt === undefined) throw statementNotFound(m.statement);
  const want = stmt.paramTypeOids.length;
  if (m.values.length !== want) {
    throw protocolViolation(
      `bind message supplies ${m.values.length} parameters, but prepared statement "${m.statement}" requires ${want}`,
      false,
    );
  }
  const formats = expandResultFormats(m.resultFormats, stmt.columns?.length ?? 0);
  stmt.columns?.forEach((c, i) => {
    if (formats[i] === 1 && c.output.binary === undefined) {
      throw new DbError(
        SqlState.undefinedFunction,
        `no binary output function available for type ${c.typeOid}`,
      );
    }
  });
  if (m.portal === "") s.closePortal("");
  else if (s.portals.has(m.portal)) {
    throw new DbError(SqlState.duplicateCursor, `portal "${m.portal}" already exists`);
  }
  if (s.portals.size >= pgwireLimits.portalsMax) {
    throw new DbError(
      SqlState.programLimitExceeded,
      `too many open portals (at most ${pgwireLimits.portalsMax})`,
    );
  }
  const portal = await stmt.bind({
    values: m.values,
    formats: m.paramFormats,
    resultFormats: formats,
  });
  s.portals.set(m.portal, { portal, columns: portal.columns, formats });
  writeEmpty(s.out, Reply.bindComplete);
}

async function execute(s: ExtendedState): Promise<void> {
  const m = decodeExecute(s.cursor);
  const entry = s.portals.get(m.portal);
  if (entry === undefined) throw portalNotFound(m.portal);
  s.useColumns(entry.columns, entry.formats);
  const result = await entry.portal.execute(m.maxRows, s);
  if (result.kind === "complete") writeCommandComplete(s.out, result.tag);
  else if (result.kind === "suspended") writeEmpty(s.out, Reply.portalSuspended);
  else writeEmpty(s.out, Reply.emptyQueryResponse);
}

function describe(s: ExtendedState): void {
  const m = decodeTarget(s.cursor, "DESCRIBE");
  if (m.kind === "S") {
    const stmt = s.statements.get(m.name);
    if (stmt === undefined) throw statementNotFound(m.name);
    writeParameterDescription(s.out, stmt.paramTypeOids);
    if (stmt.columns === null) writeEmpty(s.out, Reply.noData);
    else writeRowDescription(s.out, stmt.columns);
    return;
  }
  const entry = s.portals.get(m.name);
  if (entry === undefined) throw portalNotFound(m.name);
  if (entry.columns === null) writeEmpty(s.out, Reply.noData);
  else writeRowDescription(s.out, entry.columns, entry.formats);
}

function close(s: ExtendedState): void {
  const m = decodeTarget(s.cursor, "CLOSE");
  if (m.kind === "S") s.closeStatement(m.name);
  else s.closePortal(m.name);
  writeEmpty(s.out, Reply.closeComplete);
}

async function sync(s: ExtendedState): Promise<void> {
  s.cursor.finish();
  s.skipTillSync = false;
  try {
    await s.session!.sync();
  } catch (err) {
    s.reportError(err);
  }
  s.readyForQuery();
}
