/**
 * @module Function references as GRANT and regprocedure read them (PostgreSQL's
 * LookupFuncWithArgs and regprocedurein, with their 42883, 42725 and 22P02 errors), argument
 * type names, and the signature texts of messages and pg_get_function_result/arguments.
 */
import type { Catalog } from "../catalog/mod.ts";
import { parseOne, type TypeName } from "../sql/mod.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import { arrayOf, formatType, lookupTypeName, Oid } from "../types/mod.ts";
import { procByOid, type ProcEntry, procsNamed } from "./proc_catalog.ts";

/** A type as format_type prints it in a signature ("any" is a keyword, so quoted). */
function argTypeText(t: number): string {
  return t === Oid.any ? '"any"' : formatType(t);
}

/** pg_get_function_result of a built-in: its result type, `SETOF t` for a set (null: unknown). */
export function procResultText(oid: number): string | null {
  const p = procByOid(oid);
  if (p === undefined || p.result === 0) return null;
  return `${p.retset ? "SETOF " : ""}${formatType(p.result)}`;
}

/**
 * pg_get_function_arguments of a built-in: `type, …` or `name type, …`, VARIADIC marked; null
 * for one with defaults (their expressions are not kept) or an unknown OID.
 */
export function procArgumentsText(oid: number): string | null {
  const p = procByOid(oid);
  if (p === undefined || p.result === 0 || p.nDefaults > 0) return null;
  return p.args.map((t, i) => {
    const mode = p.variadic && i === p.args.length - 1 ? "VARIADIC " : "";
    const name = p.argNames?.[i] ? `${p.argNames[i]} ` : "";
    return `${mode}${name}${argTypeText(t)}`;
  }).join(", ");
}

/** `name(type, …)` with PostgreSQL's type names, as function messages print a signature. */
export function procSignature(name: string, args: readonly number[]): string {
  return `${name}(${args.map(argTypeText).join(", ")})`;
}

/** Resolves an argument type name of a function reference (built-ins, then enum types). */
export function procArgType(cat: Catalog, searchPath: readonly string[], t: TypeName): number {
  const name = t.names[t.names.length - 1]!;
  const schema = t.names.length > 1 ? t.names[t.names.length - 2]! : null;
  let oid: number | undefined;
  if (schema === null || schema === "pg_catalog") {
    oid = name === "char" ? Oid.char : lookupTypeName(name);
  }
  for (const s of oid === undefined ? (schema !== null ? [schema] : searchPath) : []) {
    const ns = cat.namespaces.get(s);
    const ut = ns && cat.type(ns.oid, name);
    if (ut) {
      oid = ut.oid;
      break;
    }
  }
  if (oid === undefined) {
    throw new DbError(SqlState.undefinedObject, `type "${t.names.join(".")}" does not exist`);
  }
  if (t.arrayBounds.length === 0) return oid;
  const a = arrayOf(oid) || cat.typeByOid(oid)?.arrayOid || 0;
  if (a === 0) {
    throw new DbError(SqlState.undefinedObject, `could not find array type for data type ${name}`);
  }
  return a;
}

/** A function reference: a (possibly qualified) name and, unless omitted, argument types. */
export interface ProcRef {
  names: readonly string[];
  args: readonly number[] | null;
}

/**
 * The function a reference names (LookupFuncWithArgs): with an argument list, the one with
 * exactly those types (42883 `function f(integer) does not exist`); without, the only one of
 * that name (42883 `could not find a function named "f"`, 42725 when there are several).
 * Unqualified names look in pg_catalog, then along `searchPath`.
 */
export function lookupProc(
  cat: Catalog,
  ref: ProcRef,
  searchPath: readonly string[],
): ProcEntry {
  const name = ref.names[ref.names.length - 1]!;
  const schema = ref.names.length > 1 ? ref.names[ref.names.length - 2]! : null;
  if (schema !== null && !cat.namespaces.has(schema)) {
    throw new DbError(SqlState.invalidSchemaName, `schema "${schema}" does not exist`);
  }
  const path = schema !== null
    ? [schema]
    : ["pg_catalog", ...searchPath.filter((s) => s !== "pg_catalog")];
  const visible = path.flatMap((s) => procsNamed(name).filter((p) => p.schema === s));
  const written = ref.names.join(".");
  if (ref.args === null) {
    if (visible.length === 0) {
      throw new DbError(SqlState.undefinedFunction, `could not find a function named "${written}"`);
    }
    if (visible.length > 1) {
      throw new DbError(SqlState.ambiguousFunction, `function name "${written}" is not unique`, {
        hint: "Specify the argument list to select the function unambiguously.",
      });
    }
    return visible[0]!;
  }
  const args = ref.args;
  const hit = visible.find((p) =>
    p.args.length === args.length && p.args.every((t, i) => t === args[i])
  );
  if (hit === undefined) {
    throw new DbError(
      SqlState.undefinedFunction,
      `function ${procSignature(written, args)} does not exist`,
    );
  }
  return hit;
}

/**
 * The function a regprocedure text names, `name(type, …)` (regprocedurein): 22P02 without the
 * parentheses, 42883 `function "f(int)" does not exist` when nothing matches.
 */
export function procByText(cat: Catalog, text: string, searchPath: readonly string[]): ProcEntry {
  const t = text.trim();
  if (!t.includes("(")) {
    throw new DbError(SqlState.invalidTextRepresentation, "expected a left parenthesis");
  }
  if (!t.endsWith(")")) {
    throw new DbError(SqlState.invalidTextRepresentation, "expected a right parenthesis");
  }
  let stmt;
  try {
    stmt = parseOne(`GRANT EXECUTE ON FUNCTION ${t} TO PUBLIC`);
  } catch {
    throw new DbError(SqlState.invalidTextRepresentation, "invalid name syntax");
  }
  const ref = stmt.kind === "grant" && stmt.functions.length === 1 ? stmt.functions[0] : undefined;
  if (ref === undefined || ref.args === null) {
    throw new DbError(SqlState.invalidTextRepresentation, "invalid name syntax");
  }
  const args = ref.args.map((a) => procArgType(cat, searchPath, a.type));
  try {
    return lookupProc(cat, { names: ref.name, args }, searchPath);
  } catch (e) {
    if (e instanceof DbError && e.code === SqlState.undefinedFunction) {
      throw new DbError(SqlState.undefinedFunction, `function "${t}" does not exist`);
    }
    throw e;
  }
}
