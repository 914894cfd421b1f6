/**
 * @module Session statements: BEGIN/START TRANSACTION, COMMIT/END, ROLLBACK/ABORT, SAVEPOINT,
 * RELEASE, ROLLBACK TO, two-phase PREPARE/COMMIT/ROLLBACK PREPARED, SET (every special form),
 * SET TRANSACTION, SET CONSTRAINTS, RESET, and the names SHOW takes.
 */
import type { Statement } from "./ast.ts";
import type {
  SetValue,
  TransactionMode,
  TransactionStmt,
  VariableResetStmt,
  VariableSetStmt,
} from "./ast_utility.ts";
import type { Parser } from "./parser.ts";
import { isBuiltinTypeStart, optIntervalFields, parseBuiltinType } from "./parse_type.ts";

/** Transaction modes, separated by commas or spaces. */
export function parseTransactionModes(p: Parser): TransactionMode[] {
  const modes: TransactionMode[] = [];
  while (true) {
    const t = p.tok;
    if (p.acceptKw("isolation")) {
      p.expectKw("level");
      let level: "serializable" | "repeatable read" | "read committed" | "read uncommitted";
      if (p.acceptKw("serializable")) level = "serializable";
      else if (p.acceptKw("repeatable")) {
        p.expectKw("read");
        level = "repeatable read";
      } else {
        p.expectKw("read");
        if (p.acceptKw("committed")) level = "read committed";
        else {
          p.expectKw("uncommitted");
          level = "read uncommitted";
        }
      }
      modes.push({ kind: "isolation_level", level, location: t.loc });
    } else if (p.acceptKw("read")) {
      if (!p.isKw("only")) p.expectKw("write");
      modes.push({ kind: "read_only", value: p.advance().value === "only", location: t.loc });
    } else if (p.acceptKw("deferrable")) {
      modes.push({ kind: "deferrable", value: true, location: t.loc });
    } else if (p.isKw("not") && p.peekKw(1, "deferrable")) {
      p.advance(), p.advance();
      modes.push({ kind: "deferrable", value: false, location: t.loc });
    } else {
      if (modes.length > 0 && p.tokens[p.pos - 1]?.value === ",") throw p.error();
      break;
    }
    p.acceptOp(",");
  }
  return modes;
}

export function parseTransaction(p: Parser): TransactionStmt {
  const t = p.advance();
  const s: TransactionStmt = {
    kind: "transaction",
    type: "begin",
    modes: [],
    name: null,
    chain: false,
    location: t.loc,
  };
  const chain = () => {
    if (p.acceptKw("and")) {
      s.chain = !p.acceptKw("no");
      p.expectKw("chain");
    }
  };
  switch (t.value) {
    case "begin":
      if (!p.acceptKw("work")) p.acceptKw("transaction");
      s.modes = parseTransactionModes(p);
      return s;
    case "start":
      p.expectKw("transaction");
      s.modes = parseTransactionModes(p);
      return s;
    case "commit":
    case "end":
      s.type = "commit";
      if (t.value === "commit" && p.acceptKw("prepared")) {
        s.type = "commit_prepared";
        s.name = p.sconst();
        return s;
      }
      if (!p.acceptKw("work")) p.acceptKw("transaction");
      chain();
      return s;
    case "rollback":
    case "abort":
      s.type = "rollback";
      if (t.value === "rollback" && p.acceptKw("prepared")) {
        s.type = "rollback_prepared";
        s.name = p.sconst();
        return s;
      }
      if (!p.acceptKw("work")) p.acceptKw("transaction");
      if (t.value === "rollback" && p.acceptKw("to")) {
        s.type = "rollback_to";
        p.acceptKw("savepoint");
        s.name = p.colId();
        return s;
      }
      chain();
      return s;
    case "savepoint":
      s.type = "savepoint";
      s.name = p.colId();
      return s;
    case "release":
      s.type = "release";
      p.acceptKw("savepoint");
      s.name = p.colId();
      return s;
    case "prepare":
      p.expectKw("transaction");
      s.type = "prepare";
      s.name = p.sconst();
      return s;
  }
  throw p.error(t);
}

function varName(p: Parser): string {
  let name = p.colId();
  while (p.acceptOp(".")) name += "." + p.colId();
  return name;
}

/** A NumericOnly or a word/string value of SET and option lists. */
export function setValue(p: Parser): SetValue {
  const t = p.tok;
  if (
    (t.type === "op" && (t.value === "+" || t.value === "-")) || t.type === "integer" ||
    t.type === "numeric"
  ) {
    const neg = t.type === "op" && p.advance().value === "-";
    const n = p.tok;
    if (n.type === "integer") {
      p.advance();
      return {
        kind: "integer",
        value: neg ? 0 - Number(n.value) : Number(n.value),
        location: t.loc,
      };
    }
    if (n.type === "numeric") {
      p.advance();
      return { kind: "numeric", value: (neg ? "-" : "") + n.value, location: t.loc };
    }
    throw p.error();
  }
  if (t.type === "string") return { kind: "string", value: p.sconst(), location: t.loc };
  if (p.isKw("true") || p.isKw("false") || p.isKw("on") || p.isNonReserved()) {
    return { kind: "word", value: p.advance().value, location: t.loc };
  }
  throw p.error();
}

/** SET …; `fromCurrent` allows `SET name FROM CURRENT` (a no-op outside ALTER ROLE | DATABASE). */
export function parseSet(p: Parser, fromCurrent = true): Statement {
  const loc = p.expectKw("set").loc;
  let local = false;
  if (p.acceptKw("local")) local = true;
  else if (p.isKw("session") && !p.peekKw(1, "authorization") && !p.peekKw(1, "characteristics")) {
    p.advance();
  }
  const s: VariableSetStmt = {
    kind: "variable_set",
    name: "",
    local,
    values: [],
    isDefault: false,
    location: loc,
  };
  if (p.isKw("transaction") && !p.peekOp(1, "=") && !p.peekKw(1, "to")) {
    p.advance();
    return {
      kind: "set_transaction",
      session: false,
      modes: parseTransactionModes(p),
      location: loc,
    };
  }
  if (p.isKw("constraints") && !p.peekOp(1, "=") && !p.peekKw(1, "to")) {
    p.advance();
    const constraints = p.acceptKw("all") ? null : p.list(() => p.anyName());
    let deferred = true;
    if (!p.acceptKw("deferred")) {
      p.expectKw("immediate");
      deferred = false;
    }
    return { kind: "set_constraints", constraints, deferred, location: loc };
  }
  if (p.isKw("session") && p.peekKw(1, "characteristics")) {
    p.advance(), p.advance();
    p.expectKw("as");
    p.expectKw("transaction");
    return {
      kind: "set_transaction",
      session: true,
      modes: parseTransactionModes(p),
      location: loc,
    };
  }
  if (p.isKw("time") && p.peekKw(1, "zone")) {
    p.advance(), p.advance();
    s.name = "timezone";
    const t = p.tok;
    if (p.acceptKw("default") || p.acceptKw("local")) s.isDefault = true;
    else if (isBuiltinTypeStart(p) && p.isKw("interval")) {
      const type = parseBuiltinType(p, true);
      const value = p.sconst();
      if (type.typmods.length === 0) type.intervalFields = optIntervalFields(p, type.typmods);
      s.values = [{ kind: "interval", value, type, location: t.loc }];
    } else s.values = [setValue(p)];
    return s;
  }
  if (p.isKw("session") && p.peekKw(1, "authorization")) {
    p.advance(), p.advance();
    s.name = "session_authorization";
    if (p.acceptKw("default")) s.isDefault = true;
    else s.values = [setValue(p)];
    return s;
  }
  if (p.isKw("role") && !p.peekOp(1, "=") && !p.peekKw(1, "to")) {
    p.advance();
    s.name = "role";
    s.values = [setValue(p)];
    return s;
  }
  if (p.isKw("schema") && p.peek(1).type === "string") {
    p.advance();
    s.name = "search_path";
    s.values = [setValue(p)];
    return s;
  }
  if (p.isKw("names") && !p.peekOp(1, "=") && !p.peekKw(1, "to")) {
    p.advance();
    s.name = "client_encoding";
    if (p.acceptKw("default") || p.atEnd || p.isOp(";")) s.isDefault = true;
    else s.values = [setValue(p)];
    return s;
  }
  s.name = varName(p);
  if (fromCurrent && p.isKw("from") && p.peekKw(1, "current")) {
    p.advance(), p.advance();
    s.fromCurrent = true;
    return s;
  }
  if (!p.acceptKw("to")) p.expectOp("=");
  if (p.acceptKw("default")) s.isDefault = true;
  else s.values = p.list(() => setValue(p));
  return s;
}

export function parseReset(p: Parser): VariableResetStmt {
  const loc = p.expectKw("reset").loc;
  if (p.acceptKw("all")) return { kind: "variable_reset", name: null, location: loc };
  return { kind: "variable_reset", name: parseShowName(p), location: loc };
}

export function parseShowName(p: Parser): string {
  if (p.acceptKw("all")) return "all";
  if (p.isKw("time") && p.peekKw(1, "zone")) {
    p.advance(), p.advance();
    return "timezone";
  }
  if (p.isKw("transaction") && p.peekKw(1, "isolation")) {
    p.advance(), p.advance();
    p.expectKw("level");
    return "transaction_isolation";
  }
  if (p.isKw("session") && p.peekKw(1, "authorization")) {
    p.advance(), p.advance();
    return "session_authorization";
  }
  return varName(p);
}
