/**
 * @module The printer for roles, privileges, policies, transactions, settings and utility
 * statements (PREPARE, EXPLAIN, VACUUM, COPY, LISTEN/NOTIFY, DISCARD, LOCK, DO).
 */
import type { Statement } from "./ast.ts";
import type { RoleOption, SetValue, TransactionMode } from "./ast_utility.ts";
import { printExpr, printTypeName, quoteIdent, quoteName, quoteString } from "./print_expr.ts";
import { printRangeVar } from "./print_query.ts";
import { cascade, defElems, funcRef, idents, list, objectWords, roleSpec } from "./print_common.ts";
import { printStatement } from "./print_stmt.ts";

function roleOption(o: RoleOption): string {
  switch (o.name) {
    case "password":
      return o.value === null ? "PASSWORD NULL" : `PASSWORD ${quoteString(o.value)}`;
    case "connection_limit":
      return `CONNECTION LIMIT ${o.value}`;
    case "valid_until":
      return `VALID UNTIL ${quoteString(o.value)}`;
    case "in_role":
      return `IN ROLE ${list(o.roles, roleSpec)}`;
    case "role":
      return `ROLE ${list(o.roles, roleSpec)}`;
    case "admin":
      return `ADMIN ${list(o.roles, roleSpec)}`;
    default:
      return (o.value ? "" : "NO") + o.name.toUpperCase();
  }
}

function txModes(modes: TransactionMode[]): string {
  return modes.map((m) => {
    switch (m.kind) {
      case "isolation_level":
        return `ISOLATION LEVEL ${m.level.toUpperCase()}`;
      case "read_only":
        return m.value ? "READ ONLY" : "READ WRITE";
      case "deferrable":
        return m.value ? "DEFERRABLE" : "NOT DEFERRABLE";
    }
  }).join(", ");
}

function setValue(v: SetValue): string {
  switch (v.kind) {
    case "string":
      return quoteString(v.value);
    case "integer":
    case "numeric":
      return String(v.value);
    case "word":
      return quoteIdent(v.value);
    case "interval":
      return intervalSetValue(v);
  }
}

function intervalSetValue(v: SetValue & { kind: "interval" }): string {
  const t = v.type;
  const prec = t.typmods.length && t.intervalFields === null ? `(${printExpr(t.typmods[0]!)})` : "";
  let fields = "";
  if (t.intervalFields !== null) {
    fields = " " + t.intervalFields.toUpperCase();
    if (t.typmods.length) fields += `(${printExpr(t.typmods[0]!)})`;
  }
  return `INTERVAL${prec} ${quoteString(v.value)}${fields}`;
}

/** Privilege names are keywords or identifiers; SELECT/REFERENCES/CREATE print as keywords. */
function quoteIdentOrKeyword(name: string): string {
  return ["select", "references", "create"].includes(name) ? name.toUpperCase() : quoteIdent(name);
}

/** A security, session or utility statement as SQL text, or null for other statements. */
export function printUtility(s: Statement): string | null {
  switch (s.kind) {
    case "set_constraints":
      return `SET CONSTRAINTS ${s.constraints === null ? "ALL" : list(s.constraints, quoteName)} ${
        s.deferred ? "DEFERRED" : "IMMEDIATE"
      }`;
    case "create_role":
      return `CREATE ${s.roleType.toUpperCase()} ${quoteIdent(s.name)}` +
        s.options.map((o) => " " + roleOption(o)).join("");
    case "alter_role":
      return `ALTER ROLE ${roleSpec(s.role)}` + s.options.map((o) => " " + roleOption(o)).join("");
    case "alter_role_set":
      return `ALTER ROLE ${s.role === null ? "ALL" : roleSpec(s.role)}${
        s.database === null ? "" : ` IN DATABASE ${quoteIdent(s.database)}`
      } ${printStatement(s.set)}`;
    case "alter_database_set":
      return `ALTER DATABASE ${quoteIdent(s.database)} ${printStatement(s.set)}`;
    case "alter_database":
      return `ALTER DATABASE ${quoteIdent(s.database)} WITH` +
        s.options.map((o) =>
          o.name === "connection_limit"
            ? ` CONNECTION LIMIT ${o.value}`
            : ` ${o.name.toUpperCase()} ${o.value ? "true" : "false"}`
        ).join("");
    case "reassign_owned":
      return `REASSIGN OWNED BY ${list(s.roles, roleSpec)} TO ${roleSpec(s.newRole)}`;
    case "drop_owned":
      return `DROP OWNED BY ${list(s.roles, roleSpec)}${cascade(s.behavior)}`;
    case "drop_role":
      return `DROP ROLE ${s.ifExists ? "IF EXISTS " : ""}${list(s.roles, roleSpec)}`;
    case "grant": {
      const privs = s.privileges === null
        ? "ALL PRIVILEGES"
        : list(s.privileges, (p) =>
          (p.name === "all"
            ? "ALL PRIVILEGES"
            : p.name.includes(" ")
            ? p.name.toUpperCase()
            : quoteIdentOrKeyword(p.name)) + (p.columns.length ? " " + idents(p.columns) : ""));
      let target: string;
      if (s.allInSchema) {
        target = `ALL ${objectWords[s.objectType]}S IN SCHEMA ${list(s.objects, quoteName)}`;
      } else if (s.functions.length) {
        target = `${objectWords[s.objectType]} ${list(s.functions, funcRef)}`;
      } else if (s.objects.length === 0) target = `${objectWords[s.objectType]}S`;
      else target = `${objectWords[s.objectType]} ${list(s.objects, quoteName)}`;
      let out = s.isGrant ? "GRANT " : `REVOKE ${s.grantOption ? "GRANT OPTION FOR " : ""}`;
      out += `${privs} ON ${target} ${s.isGrant ? "TO" : "FROM"} ${list(s.grantees, roleSpec)}`;
      if (s.isGrant && s.grantOption) out += " WITH GRANT OPTION";
      if (s.grantedBy !== null) out += ` GRANTED BY ${roleSpec(s.grantedBy)}`;
      return out + (s.isGrant ? "" : cascade(s.behavior));
    }
    case "grant_role": {
      let out = s.isGrant ? "GRANT " : `REVOKE ${s.adminOption ? "ADMIN OPTION FOR " : ""}`;
      out += `${list(s.roles, roleSpec)} ${s.isGrant ? "TO" : "FROM"} ${
        list(s.grantees, roleSpec)
      }`;
      if (s.isGrant && s.adminOption) out += " WITH ADMIN OPTION";
      if (s.grantedBy !== null) out += ` GRANTED BY ${roleSpec(s.grantedBy)}`;
      return out + (s.isGrant ? "" : cascade(s.behavior));
    }
    case "alter_default_privileges": {
      let out = "ALTER DEFAULT PRIVILEGES";
      if (s.roles.length) out += ` FOR ROLE ${list(s.roles, roleSpec)}`;
      if (s.schemas.length) out += ` IN SCHEMA ${list(s.schemas, quoteIdent)}`;
      return out + " " + printStatement(s.action);
    }
    case "create_policy": {
      let out = `CREATE POLICY ${quoteIdent(s.name)} ON ${printRangeVar(s.table)}`;
      out += ` AS ${s.permissive ? "PERMISSIVE" : "RESTRICTIVE"} FOR ${s.command.toUpperCase()}`;
      if (s.roles.length) out += ` TO ${list(s.roles, roleSpec)}`;
      if (s.using !== null) out += ` USING (${printExpr(s.using)})`;
      if (s.withCheck !== null) out += ` WITH CHECK (${printExpr(s.withCheck)})`;
      return out;
    }
    case "alter_policy": {
      let out = `ALTER POLICY ${quoteIdent(s.name)} ON ${printRangeVar(s.table)}`;
      if (s.roles !== null) out += ` TO ${list(s.roles, roleSpec)}`;
      if (s.using !== null) out += ` USING (${printExpr(s.using)})`;
      if (s.withCheck !== null) out += ` WITH CHECK (${printExpr(s.withCheck)})`;
      return out;
    }
    case "drop_policy":
      return `DROP POLICY ${s.ifExists ? "IF EXISTS " : ""}${quoteIdent(s.name)} ON ${
        printRangeVar(s.table)
      }${cascade(s.behavior)}`;
    case "transaction": {
      const chain = s.chain ? " AND CHAIN" : "";
      switch (s.type) {
        case "begin":
          return "BEGIN" + (s.modes.length ? " " + txModes(s.modes) : "");
        case "commit":
          return "COMMIT" + chain;
        case "rollback":
          return "ROLLBACK" + chain;
        case "savepoint":
          return `SAVEPOINT ${quoteIdent(s.name!)}`;
        case "release":
          return `RELEASE SAVEPOINT ${quoteIdent(s.name!)}`;
        case "rollback_to":
          return `ROLLBACK TO SAVEPOINT ${quoteIdent(s.name!)}`;
        case "prepare":
          return `PREPARE TRANSACTION ${quoteString(s.name!)}`;
        case "commit_prepared":
          return `COMMIT PREPARED ${quoteString(s.name!)}`;
        case "rollback_prepared":
          return `ROLLBACK PREPARED ${quoteString(s.name!)}`;
      }
      break;
    }
    case "variable_set": {
      const local = s.local ? "LOCAL " : "";
      if (s.name === "timezone" && s.values.length === 1 && s.values[0]!.kind === "interval") {
        return `SET ${local}TIME ZONE ${intervalSetValue(s.values[0]!)}`;
      }
      const name = s.name.split(".").map(quoteIdent).join(".");
      if (s.fromCurrent) return `SET ${local}${name} FROM CURRENT`;
      const value = s.isDefault ? "DEFAULT" : list(s.values, setValue);
      return `SET ${local}${name} = ${value}`;
    }
    case "variable_reset":
      return s.name === null ? "RESET ALL" : `RESET ${s.name.split(".").map(quoteIdent).join(".")}`;
    case "set_transaction":
      return `SET ${s.session ? "SESSION CHARACTERISTICS AS " : ""}TRANSACTION ${txModes(s.modes)}`;
    case "show":
      return s.name === "all" ? "SHOW ALL" : `SHOW ${s.name.split(".").map(quoteIdent).join(".")}`;
    case "prepare":
      return `PREPARE ${quoteIdent(s.name)}${
        s.argTypes.length ? ` (${list(s.argTypes, printTypeName)})` : ""
      } AS ${printStatement(s.statement)}`;
    case "execute":
      return `EXECUTE ${quoteIdent(s.name)}${
        s.params.length ? ` (${list(s.params, printExpr)})` : ""
      }`;
    case "deallocate":
      return `DEALLOCATE ${s.name === null ? "ALL" : quoteIdent(s.name)}`;
    case "explain":
      return `EXPLAIN ${s.options.length ? defElems(s.options, " ") + " " : ""}${
        printStatement(s.statement)
      }`;
    case "checkpoint":
      return "CHECKPOINT";
    case "vacuum": {
      let out = s.isVacuum ? "VACUUM" : "ANALYZE";
      if (s.options.length) out += " " + defElems(s.options, " ");
      if (s.relations.length) {
        out += " " +
          list(
            s.relations,
            (r) => printRangeVar(r.relation) + (r.columns.length ? " " + idents(r.columns) : ""),
          );
      }
      return out;
    }
    case "copy": {
      let out = "COPY ";
      out += s.query !== null
        ? `(${printStatement(s.query)})`
        : printRangeVar(s.relation!) + (s.columns.length ? " " + idents(s.columns) : "");
      out += s.isFrom ? " FROM " : " TO ";
      if (s.target.kind === "stdio") out += s.isFrom ? "STDIN" : "STDOUT";
      else if (s.target.kind === "file") out += quoteString(s.target.path);
      else out += `PROGRAM ${quoteString(s.target.command)}`;
      if (s.options.length) out += " WITH " + defElems(s.options, " ");
      if (s.where !== null) out += ` WHERE ${printExpr(s.where)}`;
      return out;
    }
    case "listen":
      return `LISTEN ${quoteIdent(s.channel)}`;
    case "unlisten":
      return `UNLISTEN ${s.channel === null ? "*" : quoteIdent(s.channel)}`;
    case "notify":
      return `NOTIFY ${quoteIdent(s.channel)}${
        s.payload === null ? "" : ", " + quoteString(s.payload)
      }`;
    case "discard":
      return `DISCARD ${s.target.toUpperCase()}`;
    case "lock":
      return `LOCK TABLE ${list(s.relations, printRangeVar)} IN ${s.mode.toUpperCase()} MODE${
        s.nowait ? " NOWAIT" : ""
      }`;
    case "do":
      return `DO ${s.language === null ? "" : `LANGUAGE ${quoteIdent(s.language)} `}${
        quoteString(s.body)
      }`;
  }
  return null;
}
