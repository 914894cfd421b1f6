/** @module uuid text I/O: canonical lowercase output; input with optional braces and hyphens after any 4 hex digits. */
import { DbError, SqlState } from "../sqlstate.ts";
import { fromHex, toHex } from "./bytea.ts";

const isHex = (c: string | undefined) => c !== undefined && /[0-9a-fA-F]/.test(c);

/** uuid_in: returns the canonical lowercase form. */
export function parseUuid(s: string): string {
  let i = 0;
  let braces = false;
  let hex = "";
  const bad = () =>
    new DbError(SqlState.invalidTextRepresentation, `invalid input syntax for type uuid: "${s}"`);
  if (s[0] === "{") {
    braces = true;
    i++;
  }
  for (let k = 0; k < 16; k++) {
    if (!isHex(s[i]) || !isHex(s[i + 1])) throw bad();
    hex += s[i]! + s[i + 1]!;
    i += 2;
    if (s[i] === "-" && k % 2 === 1 && k < 15) i++;
  }
  if (braces) {
    if (s[i] !== "}") throw bad();
    i++;
  }
  if (i !== s.length) throw bad();
  hex = hex.toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${
    hex.slice(20)
  }`;
}

/** The 16 bytes of a canonical uuid string. */
export function uuidBytes(u: string): Uint8Array {
  return fromHex(u.replaceAll("-", ""));
}

/** The canonical string of 16 bytes. */
export function uuidFromBytes(b: Uint8Array): string {
  const h = toHex(b);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** gen_random_uuid: a version 4 uuid. */
export function randomUuid(): string {
  return crypto.randomUUID();
}
