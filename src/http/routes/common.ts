/**
 * @module Small pieces the SQL-backed routes share: the JSON response helper for route
 * definitions, the request body limit, and the client address for rate limits.
 */
import type { z } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { errorResponse } from "../errors.ts";

/** A JSON response of a route definition. */
export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

/** Refuses bodies over `maxBytes` with 413 before they are read whole. */
export function bodyLimitFor(maxBytes: number): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: (c) =>
      errorResponse(c, 413, "payload_too_large", `request body is larger than ${maxBytes} bytes`),
  });
}

/** The TCP peer's address (proxies' X-Forwarded-For is not trusted: a client could forge it). */
export function clientAddress(c: Context): string {
  const info = c.env as { remoteAddr?: { hostname?: string } } | undefined;
  return info?.remoteAddr?.hostname ?? "unknown";
}

/** Bearer JWT or HTTP Basic, typed so route handlers keep their input types. */
export const bearerOrBasic: Record<string, string[]>[] = [{ bearerAuth: [] }, { basicAuth: [] }];

/** A bearer JWT only. */
export const bearerOnly: Record<string, string[]>[] = [{ bearerAuth: [] }];
