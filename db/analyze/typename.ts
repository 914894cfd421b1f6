/**
 * @module Type names to (OID, typmod): built-in names through db/types, enum types through the
 * catalog along the search path, typmods (varchar(n), numeric(p,s), timestamp(p)) and arrays.
 */
import type { TypeName } from "../sql/mod.ts";
import { DbError, SqlState } from "../sqlstate.ts";
import {
  arrayOf,
  charTypmod,
  lookupTypeName,
  numericTypmod,
  Oid,
  secondsTypmod,
} from "../types/mod.ts";
import type { BindCtx } from "./context.ts";

/** A resolved type. */
export interface ResolvedType {
  oid: number;
  typmod: number;
}

function typmodArg(e: TypeName["typmods"][number]): number {
  if (e.kind === "integer") return e.value;
  throw new DbError(
    SqlState.syntaxError,
    "type modifiers must be simple constants or identifiers",
    {
      position: e.location + 1,
    },
  );
}

/** Resolves a type name (42704 if unknown). */
export function resolveType(c: BindCtx, t: TypeName): ResolvedType {
  const name = t.names[t.names.length - 1]!;
  const schema = t.names.length > 1 ? t.names[t.names.length - 2]! : null;
  let oid: number | undefined;
  if (schema === null || schema === "pg_catalog") {
    // The keyword CHAR parses to bpchar, so a plain name "char" here is the quoted "char" type.
    oid = name === "char" ? Oid.char : lookupTypeName(name);
  }
  if (oid === undefined) {
    const cat = c.env.catalog;
    const schemas = schema !== null ? [schema] : c.env.searchPath;
    for (const s of schemas) {
      const ns = cat.namespaces.get(s);
      const ut = ns && cat.type(ns.oid, name);
      if (ut) {
        oid = ut.oid;
        break;
      }
    }
  }
  if (oid === undefined && name === "serial") oid = Oid.int4;
  if (oid === undefined) {
    throw new DbError(SqlState.undefinedObject, `type "${t.names.join(".")}" does not exist`, {
      position: t.location + 1,
    });
  }
  let typmod = -1;
  const mods = t.typmods.map(typmodArg);
  if (mods.length > 0) {
    switch (oid) {
      case Oid.varchar:
      case Oid.bpchar:
        typmod = charTypmod(mods[0]!, oid === Oid.varchar ? "varchar" : "char");
        break;
      case Oid.numeric:
        typmod = numericTypmod(mods[0]!, mods[1] ?? 0);
        break;
      case Oid.timestamp:
      case Oid.timestamptz:
      case Oid.time:
      case Oid.timetz:
      case Oid.interval:
        typmod = secondsTypmod(mods[0]!, name);
        break;
    }
  } else if (oid === Oid.bpchar && name !== "bpchar") {
    typmod = charTypmod(1, "char");
  }
  if (t.arrayBounds.length > 0) {
    const a = arrayOf(oid) || c.env.catalog.typeByOid(oid)?.arrayOid || 0;
    if (a === 0) {
      throw new DbError(
        SqlState.undefinedObject,
        `could not find array type for data type ${name}`,
      );
    }
    oid = a;
  }
  return { oid, typmod };
}
