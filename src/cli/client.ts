/**
 * @module How a CLI command reaches a running server (DESIGN.md): `--url` / `BKG_URL`, with HTTP
 * Basic `postgres:<password>`, the password from `BKG_ADMIN_PASSWORD` or `<data>/admin-password`.
 */
import type { Config } from "../config.ts";

/** The server did not answer, or answered with an error; the message says which. */
export class ServerUnreachable extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ServerUnreachable";
  }
}

/** The admin password a CLI command presents. */
export async function adminPassword(config: Config): Promise<string | undefined> {
  if (config.adminPassword !== undefined) return config.adminPassword;
  try {
    return (await Deno.readTextFile(`${config.dataDir}/admin-password`)).trim();
  } catch {
    return undefined;
  }
}

/**
 * Calls the running server as the superuser and returns the parsed JSON body; an error status
 * becomes an Error carrying the server's message.
 *
 * @example
 * const body = await callServer(config, "POST", "/admin/checkpoint");
 */
export async function callServer(
  config: Config,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const password = await adminPassword(config);
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (password !== undefined) headers.authorization = `Basic ${btoa(`postgres:${password}`)}`;
  let res: Response;
  try {
    res = await fetch(new URL(path, config.url), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    throw new ServerUnreachable(
      `no bkg server answers at ${config.url} (${err instanceof Error ? err.message : err})`,
    );
  }
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text === "" ? null : JSON.parse(text);
  } catch {
    // Not JSON: keep the text for the message.
  }
  if (!res.ok) {
    const message = (parsed as { error?: { message?: string } })?.error?.message ?? text;
    throw new Error(`server answered ${res.status}: ${message}`);
  }
  return parsed;
}
