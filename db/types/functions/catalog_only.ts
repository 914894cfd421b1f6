/**
 * @module pg_proc rows of PostgreSQL 15 functions that BKG-DB lists but cannot call yet: the
 * range and multirange accessors (lower(anyrange), upper(anymultirange), …). Clients that read
 * pg_proc (psql's \df, ORMs counting overloads) see PostgreSQL's rows; a call resolves among
 * the callable overloads only, so `lower('abc')` still means lower(text).
 */
import { DbError, SqlState } from "../../sqlstate.ts";
import { Oid } from "../oids.ts";
import { defineFunction } from "./registry.ts";

const anyrange = 3831;
const anymultirange = 4537;

function notCallable(name: string): never {
  throw new DbError(SqlState.featureNotSupported, `function ${name} is not supported`);
}

for (const t of [anyrange, anymultirange]) {
  for (const name of ["lower", "upper"]) {
    defineFunction(name, [t], Oid.anyelement, () => notCallable(name), { only: "catalog" });
  }
  for (const name of ["isempty", "lower_inc", "upper_inc", "lower_inf", "upper_inf"]) {
    defineFunction(name, [t], Oid.bool, () => notCallable(name), { only: "catalog" });
  }
}
defineFunction("range_merge", [anyrange, anyrange], anyrange, () => notCallable("range_merge"), {
  only: "catalog",
});
defineFunction("range_merge", [anymultirange], anyrange, () => notCallable("range_merge"), {
  only: "catalog",
});
