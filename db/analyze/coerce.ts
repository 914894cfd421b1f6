/**
 * @module Coercion of bound expressions: unknown literals are converted at bind time (so bad
 * input is 22P02 with the literal's position, as in PostgreSQL), parameters take the type they
 * are first coerced to, other values get a cast node when db/types allows the cast in the
 * context. Also select_common_type for CASE, COALESCE, UNION, VALUES and ARRAY.
 */
import { DbError, SqlState } from "../sqlstate.ts";
import type { BExpr } from "../plan/mod.ts";
import {
  applyTypmod,
  canCoerce,
  type CoercionContext,
  findCast,
  formatType,
  inputText,
  Oid,
  typeByOid,
} from "../types/mod.ts";
import type { BindCtx } from "./context.ts";

/** oid and the reg* types: binary-coercible to each other (the same number). */
export const oidLike = new Set<number>([
  Oid.oid,
  Oid.regclass,
  Oid.regtype,
  Oid.regproc,
  Oid.regprocedure,
  Oid.regoper,
  Oid.regnamespace,
  Oid.regrole,
]);

/** The type's name for messages (user enum types included). */
export function typeName(c: BindCtx, oid: number, typmod = -1): string {
  const ut = c.env.catalog.typeByOid(oid);
  if (ut !== undefined) return ut.oid === oid ? ut.name : `${ut.name}[]`;
  return formatType(oid, typmod);
}

/** Coerces `e` to `target` or throws 42804 (implicit/assignment) / 42846 (explicit). */
export function coerce(
  c: BindCtx,
  e: BExpr,
  target: number,
  typmod: number,
  context: CoercionContext,
  location: number,
  what = "",
): BExpr {
  if (target === Oid.any || target === Oid.anyelement) return e;
  if (e.type === target && (typmod < 0 || e.typmod === typmod)) return e;
  if (oidLike.has(e.type) && oidLike.has(target) && e.k !== "const") {
    return { ...e, type: target } as BExpr;
  }
  // int2vector and oidvector hold the same arrays as int2[] and oid[].
  if (
    (e.type === Oid.int2vector && target === Oid.int2Array) ||
    (e.type === Oid.oidvector && target === Oid.oidArray)
  ) return { ...e, type: target } as BExpr;
  if (oidLike.has(e.type) && oidLike.has(target) && e.k === "const" && e.type !== Oid.unknown) {
    return { ...e, type: target };
  }
  if (e.k === "param" && e.type === Oid.unknown) {
    c.env.paramTypes[e.n - 1] = target;
    return { ...e, type: target, typmod: -1 };
  }
  if (
    e.k === "const" && e.type === Oid.unknown && e.value !== null &&
    (target === Oid.regnamespace || target === Oid.regrole)
  ) {
    const name = (e.value as string).replace(/^"(.*)"$/, "$1");
    const oid = target === Oid.regnamespace
      ? c.env.catalog.namespaces.get(name)?.oid
      : c.env.catalog.roles.get(name)?.oid;
    if (oid === undefined) {
      throw target === Oid.regnamespace
        ? new DbError(SqlState.invalidSchemaName, `schema "${name}" does not exist`, {
          position: location + 1,
        })
        : new DbError(SqlState.undefinedObject, `role "${name}" does not exist`, {
          position: location + 1,
        });
    }
    return { k: "const", type: target, typmod: -1, value: oid };
  }
  if (e.k === "const" && e.type === Oid.unknown) {
    const v = e.value === null ? null : withPosition(() => {
      const x = inputText(target, e.value as string, -1, c.env.ctx);
      return typmod >= 0 ? applyTypmod(target, x, typmod, context === "explicit") : x;
    }, location);
    return { k: "const", type: target, typmod, value: v };
  }
  if (e.k === "const" && e.value === null && context !== "explicit") {
    return { k: "const", type: target, typmod, value: null };
  }
  const userEnum = c.env.catalog.typeByOid(target) ?? c.env.catalog.typeByOid(e.type);
  const ok = userEnum !== undefined
    ? (e.type === Oid.text || target === Oid.text || e.type === Oid.unknown ||
      context === "explicit" || e.type === target)
    : canCoerce(e.type, target, context);
  if (!ok) {
    if (context === "explicit" || findCast(e.type, target) === undefined && !userEnum) {
      if (context === "explicit") {
        throw new DbError(
          SqlState.cannotCoerce,
          `cannot cast type ${typeName(c, e.type)} to ${typeName(c, target)}`,
          { position: location + 1 },
        );
      }
    }
    throw new DbError(
      SqlState.datatypeMismatch,
      what !== ""
        ? what
        : `${what}expression is of type ${typeName(c, e.type)} but expected ${typeName(c, target)}`,
      { position: location + 1 },
    );
  }
  if (e.type === target && typmod < 0) return e;
  return { k: "cast", type: target, typmod, arg: e, explicit: context === "explicit" };
}

/** Runs `fn`, adding `position` to a DbError that has none. */
export function withPosition<T>(fn: () => T, location: number): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof DbError && err.fields.position === undefined) {
      (err.fields as { position?: number }).position = location + 1;
    }
    throw err;
  }
}

/**
 * select_common_type: the type all of `exprs` coerce to (text when all are unknown).
 * `context` names the construct for the error (`CASE`, `UNION`, `COALESCE`, `VALUES`).
 */
export function commonType(
  c: BindCtx,
  exprs: BExpr[],
  context: string,
  locations: number[] = [],
): number {
  let t = Oid.unknown as number;
  for (let i = 0; i < exprs.length; i++) {
    const u = exprs[i]!.type;
    if (u === Oid.unknown) continue;
    if (t === Oid.unknown) {
      t = u;
      continue;
    }
    if (u === t) continue;
    const tCat = typeByOid(t)?.category;
    const uCat = typeByOid(u)?.category;
    if (tCat !== uCat && !(canCoerce(u, t, "implicit") || canCoerce(t, u, "implicit"))) {
      throw new DbError(
        SqlState.datatypeMismatch,
        `${context} types ${typeName(c, t)} and ${typeName(c, u)} cannot be matched`,
        { position: (locations[i] ?? 0) + 1 },
      );
    }
    // PostgreSQL's select_common_type: move to the new type only when the current one is not
    // preferred and converts to it implicitly but not back.
    if (
      tCat === uCat && !typeByOid(t)?.preferred && canCoerce(t, u, "implicit") &&
      !canCoerce(u, t, "implicit")
    ) {
      t = u;
    } else if (tCat !== uCat && canCoerce(t, u, "implicit") && !canCoerce(u, t, "implicit")) {
      t = u;
    }
  }
  return t === Oid.unknown ? Oid.text : t;
}
