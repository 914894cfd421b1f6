/** @module Limits of the committed-change stream. */

/** Default retention window in committed transactions kept for resume by LSN (a setting overrides it). */
export const defaultRetainedCommits = 10_000;
