/** @module bool text I/O: PostgreSQL's parse_bool (t/true/y/yes/on/1 and prefixes; f/…/off/0). */
import { DbError, SqlState } from "../sqlstate.ts";

/** Parses a bool as boolin does, or returns undefined. */
export function parseBoolOrUndefined(text: string): boolean | undefined {
  const v = text.trim().toLowerCase();
  const n = v.length;
  if (n === 0) return undefined;
  const prefixOf = (word: string, min = 1) => n >= min && n <= word.length && word.startsWith(v);
  switch (v[0]) {
    case "t":
      return prefixOf("true") ? true : undefined;
    case "f":
      return prefixOf("false") ? false : undefined;
    case "y":
      return prefixOf("yes") ? true : undefined;
    case "n":
      return prefixOf("no") ? false : undefined;
    case "o":
      if (prefixOf("on", 2)) return true;
      if (prefixOf("off", 2)) return false;
      return undefined;
    case "1":
      return n === 1 ? true : undefined;
    case "0":
      return n === 1 ? false : undefined;
  }
  return undefined;
}

/** boolin. */
export function parseBool(text: string): boolean {
  const b = parseBoolOrUndefined(text);
  if (b === undefined) {
    throw new DbError(
      SqlState.invalidTextRepresentation,
      `invalid input syntax for type boolean: "${text}"`,
    );
  }
  return b;
}

/** boolout. */
export function formatBool(b: boolean): string {
  return b ? "t" : "f";
}
