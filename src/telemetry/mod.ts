/** @module The public face of telemetry: logs now; traces and metrics join here. */
export { log, type LogLevel, setLogLevel } from "./log.ts";
