/**
 * @module System-information and miscellaneous pure functions: version(), pg_typeof,
 * format_type, num_nulls/num_nonnulls, gen_random_uuid (and uuid_generate_v4), current_user and
 * current_schema through EvalContext.
 */
import { Oid } from "../oids.ts";
import { formatType } from "../typmod.ts";
import { randomUuid } from "../uuid.ts";
import { defineFunction } from "./registry.ts";

/** The version() text: PostgreSQL-compatible so clients that parse it keep working. */
export const versionText =
  "PostgreSQL 15.0 (BKG-DB 0.1.0) on x86_64-pc-linux-gnu, compiled by Deno, 64-bit";

defineFunction("version", [], Oid.text, () => versionText, { volatility: "s" });
defineFunction("pg_typeof", [Oid.any], Oid.regtype, (_a, _ctx, t) => t[0]!, {
  strict: false,
  volatility: "s",
});
defineFunction(
  "format_type",
  [Oid.oid, Oid.int4],
  Oid.text,
  ([o, m]) => (o === null ? null : formatType(o as number, (m as number | null) ?? undefined)),
  { strict: false, volatility: "s" },
);
defineFunction("num_nulls", [Oid.any], Oid.int4, (args) => args.filter((a) => a === null).length, {
  variadic: Oid.any,
  strict: false,
});
defineFunction(
  "num_nonnulls",
  [Oid.any],
  Oid.int4,
  (args) => args.filter((a) => a !== null).length,
  { variadic: Oid.any, strict: false },
);
defineFunction("gen_random_uuid", [], Oid.uuid, () => randomUuid(), { volatility: "v" });
defineFunction("uuid_generate_v4", [], Oid.uuid, () => randomUuid(), { volatility: "v" });
defineFunction("current_user", [], Oid.name, (_a, ctx) => ctx.currentUser(), { volatility: "s" });
defineFunction(
  "session_user",
  [],
  Oid.name,
  (_a, ctx) => ctx.sessionUser?.() ?? ctx.currentUser(),
  {
    volatility: "s",
  },
);
defineFunction("current_schema", [], Oid.name, (_a, ctx) => ctx.currentSchema(), {
  volatility: "s",
});
