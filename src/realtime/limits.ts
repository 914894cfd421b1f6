/** @module Limits of the realtime hub. */

/** Default unsent bytes per client before it is cut off: about a thousand typical events. */
export const defaultSendBufferBytes = 1024 * 1024;

/**
 * Channels one websocket may join: each holds feed and identity state, so one client cannot
 * grow the server without bound (Supabase Realtime's default per-client limit is 100).
 */
export const maxChannelsPerConnection = 100;

/**
 * Largest frame a client may send (a join, a broadcast, a presence meta): the hub parses and
 * relays each one, so a bigger one closes the socket (1009) instead of costing memory per member.
 */
export const maxFrameBytes = 1024 * 1024;
