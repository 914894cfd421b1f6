/**
 * @module The printer for data definition: CREATE/ALTER/DROP of tables, indexes, views,
 * sequences, schemas, types, databases, functions and extensions, COMMENT and TRUNCATE.
 */
import type { Statement } from "./ast.ts";
import type { AlterTableCmd, ColumnDef, Constraint, FkAction, TableElement } from "./ast_ddl.ts";
import { printExpr, printTypeName, quoteIdent, quoteName, quoteString } from "./print_expr.ts";
import { printIndexElem, printQuery, printRangeVar } from "./print_query.ts";
import {
  cascade,
  defArg,
  defElems,
  funcParam,
  funcRef,
  idents,
  list,
  objectWords,
  persistence,
  roleSpec,
  seqOption,
  withOptions,
} from "./print_common.ts";
import { printStatement } from "./print_stmt.ts";

function fk(a: FkAction): string {
  return a.replace("_", " ").toUpperCase();
}

function constraint(c: Constraint, table: boolean): string {
  let s = c.name === null ? "" : `CONSTRAINT ${quoteIdent(c.name)} `;
  switch (c.contype) {
    case "not_null":
      s += "NOT NULL";
      break;
    case "null":
      s += "NULL";
      break;
    case "default":
      s += `DEFAULT ${printExpr(c.expr)}`;
      break;
    case "check":
      s += `CHECK (${printExpr(c.expr)})${c.noInherit ? " NO INHERIT" : ""}${
        c.notValid ? " NOT VALID" : ""
      }`;
      break;
    case "primary_key":
    case "unique":
      s += c.contype === "unique" ? "UNIQUE" : "PRIMARY KEY";
      if (c.nullsNotDistinct) s += " NULLS NOT DISTINCT";
      if (table) s += " " + idents(c.columns);
      if (c.include.length) s += " INCLUDE " + idents(c.include);
      s += withOptions(c.options);
      break;
    case "foreign_key":
      if (table) s += `FOREIGN KEY ${idents(c.columns)} `;
      s += `REFERENCES ${printRangeVar(c.refTable)}`;
      if (c.refColumns.length) s += " " + idents(c.refColumns);
      if (c.match !== "simple") s += ` MATCH ${c.match.toUpperCase()}`;
      if (c.onDelete !== "no_action") s += ` ON DELETE ${fk(c.onDelete)}`;
      if (c.onUpdate !== "no_action") s += ` ON UPDATE ${fk(c.onUpdate)}`;
      if (c.notValid) s += " NOT VALID";
      break;
    case "identity":
      s += `GENERATED ${c.generated === "always" ? "ALWAYS" : "BY DEFAULT"} AS IDENTITY`;
      if (c.options.length) s += ` (${c.options.map(seqOption).join(" ")})`;
      break;
    case "generated":
      s += `GENERATED ALWAYS AS (${printExpr(c.expr)}) STORED`;
      break;
  }
  if (c.deferrable !== null) s += c.deferrable ? " DEFERRABLE" : " NOT DEFERRABLE";
  if (c.initiallyDeferred !== null) {
    s += c.initiallyDeferred ? " INITIALLY DEFERRED" : " INITIALLY IMMEDIATE";
  }
  return s;
}

function columnDef(c: ColumnDef): string {
  let s = `${quoteIdent(c.name)} ${printTypeName(c.type)}`;
  if (c.collation !== null) s += ` COLLATE ${quoteName(c.collation)}`;
  for (const k of c.constraints) s += " " + constraint(k, false);
  return s;
}

function tableElement(e: TableElement): string {
  switch (e.kind) {
    case "column_def":
      return columnDef(e);
    case "constraint":
      return constraint(e, true);
    case "table_like":
      return `LIKE ${printRangeVar(e.relation)}` +
        e.options.map((o) =>
          ` ${o.including ? "INCLUDING" : "EXCLUDING"} ${o.option.toUpperCase()}`
        ).join("");
  }
}

function alterCmd(c: AlterTableCmd): string {
  switch (c.kind) {
    case "add_column":
      return `ADD COLUMN ${c.ifNotExists ? "IF NOT EXISTS " : ""}${columnDef(c.column)}`;
    case "drop_column":
      return `DROP COLUMN ${c.ifExists ? "IF EXISTS " : ""}${quoteIdent(c.name)}${
        c.behavior === "cascade" ? " CASCADE" : ""
      }`;
    case "set_default":
      return `ALTER COLUMN ${quoteIdent(c.column)} SET DEFAULT ${printExpr(c.expr)}`;
    case "drop_default":
      return `ALTER COLUMN ${quoteIdent(c.column)} DROP DEFAULT`;
    case "set_not_null":
      return `ALTER COLUMN ${quoteIdent(c.column)} SET NOT NULL`;
    case "drop_not_null":
      return `ALTER COLUMN ${quoteIdent(c.column)} DROP NOT NULL`;
    case "alter_column_type": {
      let s = `ALTER COLUMN ${quoteIdent(c.column)} TYPE ${printTypeName(c.type)}`;
      if (c.collation !== null) s += ` COLLATE ${quoteName(c.collation)}`;
      if (c.using !== null) s += ` USING ${printExpr(c.using)}`;
      return s;
    }
    case "add_identity": {
      let s = `ALTER COLUMN ${quoteIdent(c.column)} ADD GENERATED ${
        c.generated === "always" ? "ALWAYS" : "BY DEFAULT"
      } AS IDENTITY`;
      if (c.options.length) s += ` (${c.options.map(seqOption).join(" ")})`;
      return s;
    }
    case "drop_identity":
      return `ALTER COLUMN ${quoteIdent(c.column)} DROP IDENTITY${c.ifExists ? " IF EXISTS" : ""}`;
    case "add_constraint":
      return `ADD ${constraint(c.constraint, true)}`;
    case "drop_constraint":
      return `DROP CONSTRAINT ${c.ifExists ? "IF EXISTS " : ""}${quoteIdent(c.name)}${
        c.behavior === "cascade" ? " CASCADE" : ""
      }`;
    case "validate_constraint":
      return `VALIDATE CONSTRAINT ${quoteIdent(c.name)}`;
    case "owner_to":
      return `OWNER TO ${roleSpec(c.owner)}`;
    case "enable_rls":
      return "ENABLE ROW LEVEL SECURITY";
    case "disable_rls":
      return "DISABLE ROW LEVEL SECURITY";
    case "force_rls":
      return "FORCE ROW LEVEL SECURITY";
    case "no_force_rls":
      return "NO FORCE ROW LEVEL SECURITY";
    case "set_options":
      return `SET ${defElems(c.options)}`;
    case "reset_options":
      return `RESET ${idents(c.names)}`;
  }
}

/** A DDL statement as SQL text, or null when `s` is not DDL. */
export function printDdl(s: Statement): string | null {
  switch (s.kind) {
    case "create_table": {
      let out = `CREATE ${persistence(s.persistence)}TABLE ${
        s.ifNotExists ? "IF NOT EXISTS " : ""
      }${printRangeVar(s.relation)} (${list(s.elements, tableElement)})`;
      if (s.inherits.length) out += ` INHERITS (${list(s.inherits, printRangeVar)})`;
      if (s.partitionBy !== null) {
        out += ` PARTITION BY ${s.partitionBy.strategy.toUpperCase()} (${
          list(s.partitionBy.params, printIndexElem)
        })`;
      }
      out += withOptions(s.options);
      if (s.onCommit !== null) out += ` ON COMMIT ${s.onCommit.replace("_", " ").toUpperCase()}`;
      return out;
    }
    case "create_table_as": {
      const what = s.objectType === "table"
        ? `${persistence(s.persistence)}TABLE`
        : "MATERIALIZED VIEW";
      let out = `CREATE ${what} ${s.ifNotExists ? "IF NOT EXISTS " : ""}${
        printRangeVar(s.relation)
      }`;
      if (s.columns.length) out += " " + idents(s.columns);
      out += withOptions(s.options) + ` AS ${printQuery(s.query)}`;
      return out + (s.withData ? "" : " WITH NO DATA");
    }
    case "create_index": {
      let out = `CREATE ${s.unique ? "UNIQUE " : ""}INDEX ${s.concurrently ? "CONCURRENTLY " : ""}`;
      if (s.ifNotExists) out += "IF NOT EXISTS ";
      if (s.name !== null) out += quoteIdent(s.name) + " ";
      out += `ON ${printRangeVar(s.relation)}`;
      if (s.method !== null) out += ` USING ${quoteIdent(s.method)}`;
      out += ` (${list(s.params, printIndexElem)})`;
      if (s.include.length) out += " INCLUDE " + idents(s.include);
      if (s.nullsNotDistinct) out += " NULLS NOT DISTINCT";
      out += withOptions(s.options);
      if (s.where !== null) out += ` WHERE ${printExpr(s.where)}`;
      return out;
    }
    case "create_view": {
      let out = `CREATE ${s.replace ? "OR REPLACE " : ""}${persistence(s.persistence)}VIEW ${
        printRangeVar(s.relation)
      }`;
      if (s.columns.length) out += " " + idents(s.columns);
      out += withOptions(s.options) + ` AS ${printQuery(s.query)}`;
      if (s.checkOption !== "none") out += ` WITH ${s.checkOption.toUpperCase()} CHECK OPTION`;
      return out;
    }
    case "refresh_materialized_view":
      return `REFRESH MATERIALIZED VIEW ${s.concurrently ? "CONCURRENTLY " : ""}${
        printRangeVar(s.relation)
      }${s.withData ? "" : " WITH NO DATA"}`;
    case "create_sequence":
      return `CREATE ${persistence(s.persistence)}SEQUENCE ${
        s.ifNotExists ? "IF NOT EXISTS " : ""
      }${printRangeVar(s.relation)}` +
        s.options.map((o) => " " + seqOption(o)).join("");
    case "alter_sequence":
      return `ALTER SEQUENCE ${s.ifExists ? "IF EXISTS " : ""}${printRangeVar(s.relation)}` +
        s.options.map((o) => " " + seqOption(o)).join("");
    case "create_schema": {
      let out = `CREATE SCHEMA ${s.ifNotExists ? "IF NOT EXISTS " : ""}`;
      if (s.name !== null) out += quoteIdent(s.name);
      if (s.authorization !== null) out += ` AUTHORIZATION ${roleSpec(s.authorization)}`;
      return out + s.elements.map((e) => " " + printStatement(e)).join("");
    }
    case "create_enum":
      return `CREATE TYPE ${quoteName(s.name)} AS ENUM (${list(s.values, quoteString)})`;
    case "create_composite_type":
      return `CREATE TYPE ${quoteName(s.name)} AS (${list(s.columns, columnDef)})`;
    case "alter_enum": {
      if (s.oldValue !== null) {
        return `ALTER TYPE ${quoteName(s.name)} RENAME VALUE ${quoteString(s.oldValue)} TO ${
          quoteString(s.newValue)
        }`;
      }
      let out = `ALTER TYPE ${quoteName(s.name)} ADD VALUE ${
        s.ifNotExists ? "IF NOT EXISTS " : ""
      }${quoteString(s.newValue)}`;
      if (s.neighbor !== null) {
        out += ` ${s.neighbor.after ? "AFTER" : "BEFORE"} ${quoteString(s.neighbor.value)}`;
      }
      return out;
    }
    case "create_database":
      return `CREATE DATABASE ${quoteIdent(s.name)}` +
        s.options.map((o) =>
          ` ${o.name === "connection_limit" ? "CONNECTION LIMIT" : quoteIdent(o.name)} = ${
            o.arg === null ? "DEFAULT" : defArg(o.arg)
          }`
        ).join("");
    case "drop_database":
      return `DROP DATABASE ${s.ifExists ? "IF EXISTS " : ""}${quoteIdent(s.name)}${
        s.force ? " WITH (FORCE)" : ""
      }`;
    case "create_function": {
      let out = `CREATE ${s.replace ? "OR REPLACE " : ""}${
        s.isProcedure ? "PROCEDURE" : "FUNCTION"
      } ${quoteName(s.name)}`;
      const table = s.params.filter((p) => p.mode === "table");
      out += `(${list(s.params.filter((p) => p.mode !== "table"), funcParam)})`;
      if (table.length) out += ` RETURNS TABLE (${list(table, funcParam)})`;
      else if (s.returns !== null) out += ` RETURNS ${printTypeName(s.returns)}`;
      if (s.language !== null) out += ` LANGUAGE ${quoteIdent(s.language)}`;
      if (s.volatility !== null) out += " " + s.volatility.toUpperCase();
      if (s.strict !== null) out += s.strict ? " STRICT" : " CALLED ON NULL INPUT";
      if (s.securityDefiner !== null) {
        out += s.securityDefiner ? " SECURITY DEFINER" : " SECURITY INVOKER";
      }
      if (s.leakproof !== null) out += s.leakproof ? " LEAKPROOF" : " NOT LEAKPROOF";
      if (s.parallel !== null) out += ` PARALLEL ${quoteIdent(s.parallel)}`;
      if (s.cost !== null) out += ` COST ${s.cost}`;
      if (s.rows !== null) out += ` ROWS ${s.rows}`;
      for (const v of s.set) out += " " + printStatement(v);
      if (s.body !== null) out += ` AS ${list(s.body, quoteString)}`;
      return out;
    }
    case "create_extension":
      return `CREATE EXTENSION ${s.ifNotExists ? "IF NOT EXISTS " : ""}${quoteIdent(s.name)}` +
        s.options.map((o) =>
          o.name === "schema"
            ? ` SCHEMA ${defArg(o.arg!)}`
            : o.name === "cascade"
            ? " CASCADE"
            : ` VERSION ${defArg(o.arg!)}`
        ).join("");
    case "drop": {
      const objs = s.functions.length ? list(s.functions, funcRef) : list(s.objects, quoteName);
      return `DROP ${objectWords[s.objectType]} ${s.concurrently ? "CONCURRENTLY " : ""}${
        s.ifExists ? "IF EXISTS " : ""
      }${objs}${cascade(s.behavior)}`;
    }
    case "alter_table":
      return `ALTER ${objectWords[s.objectType]} ${s.ifExists ? "IF EXISTS " : ""}${
        printRangeVar(s.relation)
      } ${list(s.commands, alterCmd)}`;
    case "rename": {
      if (s.objectType === "policy") {
        return `ALTER POLICY ${quoteIdent(s.subname!)} ON ${printRangeVar(s.relation!)} RENAME TO ${
          quoteIdent(s.newName)
        }`;
      }
      if (s.relation !== null) {
        const rel = `${s.ifExists ? "IF EXISTS " : ""}${printRangeVar(s.relation)}`;
        if (s.objectType === "column" || s.objectType === "constraint") {
          return `ALTER TABLE ${rel} RENAME ${objectWords[s.objectType]} ${
            quoteIdent(s.subname!)
          } TO ${quoteIdent(s.newName)}`;
        }
        return `ALTER ${objectWords[s.objectType]} ${rel} RENAME TO ${quoteIdent(s.newName)}`;
      }
      const obj = s.function !== null ? funcRef(s.function) : quoteName(s.object!);
      return `ALTER ${objectWords[s.objectType]} ${obj} RENAME TO ${quoteIdent(s.newName)}`;
    }
    case "alter_set_schema": {
      const target = s.relation !== null
        ? `${s.ifExists ? "IF EXISTS " : ""}${printRangeVar(s.relation)}`
        : s.function !== null
        ? funcRef(s.function)
        : quoteName(s.object!);
      return `ALTER ${objectWords[s.objectType]} ${target} SET SCHEMA ${quoteIdent(s.newSchema)}`;
    }
    case "alter_owner": {
      const target = s.function !== null ? funcRef(s.function) : quoteName(s.object);
      return `ALTER ${objectWords[s.objectType]} ${target} OWNER TO ${roleSpec(s.owner)}`;
    }
    case "comment": {
      let target = s.function !== null ? funcRef(s.function) : quoteName(s.object);
      if (s.relation !== null) target += ` ON ${printRangeVar(s.relation)}`;
      return `COMMENT ON ${objectWords[s.objectType]} ${target} IS ${
        s.comment === null ? "NULL" : quoteString(s.comment)
      }`;
    }
    case "create_trigger": {
      const events = s.events.map((e) =>
        e.event.toUpperCase() + (e.columns.length ? ` OF ${list(e.columns, quoteIdent)}` : "")
      ).join(" OR ");
      let out = `CREATE ${s.replace ? "OR REPLACE " : ""}TRIGGER ${quoteIdent(s.name)} ${
        s.timing === "instead_of" ? "INSTEAD OF" : s.timing.toUpperCase()
      } ${events} ON ${printRangeVar(s.table)} FOR EACH ${s.forEachRow ? "ROW" : "STATEMENT"}`;
      if (s.when !== null) out += ` WHEN (${printExpr(s.when)})`;
      return out + ` EXECUTE FUNCTION ${quoteName(s.function)}(${list(s.args, quoteString)})`;
    }
    case "drop_trigger":
      return `DROP TRIGGER ${s.ifExists ? "IF EXISTS " : ""}${quoteIdent(s.name)} ON ${
        printRangeVar(s.table)
      }${cascade(s.behavior)}`;
    case "truncate":
      return `TRUNCATE ${list(s.relations, printRangeVar)}${
        s.restartIdentity ? " RESTART IDENTITY" : ""
      }${cascade(s.behavior)}`;
  }
  return null;
}
