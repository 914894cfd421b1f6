/**
 * @module Log sequence numbers: the byte position of a record in the WAL stream. They are plain
 * numbers (exact up to 2^53 bytes, 8 PiB of WAL) and print as PostgreSQL prints them: `0/16B3748`.
 */

/** A byte position in the WAL. */
export type Lsn = number;

/**
 * Formats an LSN the way PostgreSQL does: high 32 bits, a slash, low 32 bits, in upper-case hex.
 *
 * @example
 * formatLsn(23803720) === "0/16B3748";
 */
export function formatLsn(lsn: Lsn): string {
  const hi = Math.floor(lsn / 0x1_0000_0000);
  const lo = lsn % 0x1_0000_0000;
  return `${hi.toString(16).toUpperCase()}/${lo.toString(16).toUpperCase()}`;
}

/** Parses `0/16B3748`; returns undefined for text that is not an LSN. */
export function parseLsn(text: string): Lsn | undefined {
  const m = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(text);
  if (m === null) return undefined;
  return parseInt(m[1]!, 16) * 0x1_0000_0000 + parseInt(m[2]!, 16);
}
