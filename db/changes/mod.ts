/**
 * @module The committed-change stream for realtime: `ChangeFeed.open(db)` decodes durable commits
 * into {@link ChangeRecord}s (schema, table, kind, new record, old key, full rows for access
 * checks, LSN, commit time) and keeps a bounded retention window for resume by LSN, on disk in a
 * ring file when asked (`persist`), so it survives restarts.
 */
export { ChangeFeed, type ChangeFeedOptions, type ChangeListener } from "./feed.ts";
export { type ChangeRecord, decodeCommit, type JsonValue, jsonValue } from "./decode.ts";
export { defaultRetainedCommits } from "./limits.ts";
