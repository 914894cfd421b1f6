/** @module Limits of the committed-change stream. */

/** Default retention window in committed transactions kept for resume by LSN (a setting overrides it). */
export const defaultRetainedCommits = 10_000;

/** The ring file's name inside the database directory (kept beside the WAL it is checked against). */
export const ringFileName = "changes.ring";

/**
 * Longest time a ring-file write waits for its fdatasync: bounds what an OS crash can take from
 * the resume window without adding a second fsync to every commit.
 */
export const ringSyncDelayMs = 200;
