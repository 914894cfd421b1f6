/**
 * @module Realtime over websockets (Phoenix channels, as @supabase/realtime-js speaks them):
 * `RealtimeHub.open({db, verifier})`, `hub.upgrade(request)`, `hub.renderMetrics()`. Events are
 * filtered per subscriber identity by row-level security and privileges (access.ts); broadcast
 * and presence on channels.
 */
export { RealtimeHub, type RealtimeHubOptions } from "./hub.ts";
export { AccessRegistry, Identity, type RowPredicate } from "./access.ts";
export { RealtimeMetrics } from "./metrics.ts";
export { defaultSendBufferBytes } from "./limits.ts";
export { slowClientCloseCode } from "./connection.ts";
