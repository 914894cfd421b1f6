/** @module Limits of the realtime hub. */

/** Default unsent bytes per client before it is cut off: about a thousand typical events. */
export const defaultSendBufferBytes = 1024 * 1024;
