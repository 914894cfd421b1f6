/**
 * @module Realtime over websockets (Phoenix channels, as @supabase/realtime-js speaks them):
 * `RealtimeHub.open({db, verifier})`, `hub.upgrade(request)`, `hub.metrics.render()`.
 */
export { RealtimeHub, type RealtimeHubOptions } from "./hub.ts";
export { mayReceive, type Subscriber } from "./access.ts";
export { RealtimeMetrics } from "./metrics.ts";
export { defaultSendBufferBytes } from "./limits.ts";
export { slowClientCloseCode } from "./connection.ts";
