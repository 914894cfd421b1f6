/** @module The version of bkg, taken from deno.json so that there is one place to bump it. */
import denoJson from "../deno.json" with { type: "json" };

/** The bkg version, such as `0.1.0`. */
export const version: string = denoJson.version;
