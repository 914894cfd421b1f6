/** @module `GET /auth/jwks`: the public halves of the JWT signing keys, for token verifiers. */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AuthContext } from "../auth.ts";

const jwkSchema = z.object({
  kty: z.string(),
  kid: z.string(),
  alg: z.string(),
  use: z.string(),
  crv: z.string().optional(),
  x: z.string().optional(),
  y: z.string().optional(),
}).openapi("Jwk");

const route = createRoute({
  method: "get",
  path: "/auth/jwks",
  tags: ["auth"],
  summary: "The public JWT keys (JWKS); HS256 tokens have no public key",
  responses: {
    200: {
      description: "The key set",
      content: { "application/json": { schema: z.object({ keys: z.array(jwkSchema) }) } },
    },
  },
});

/** Adds `GET /auth/jwks`. */
export function addJwksRoutes(app: OpenAPIHono, auth: AuthContext): void {
  app.openapi(route, (c) => {
    c.header("cache-control", "public, max-age=300");
    const keys = auth.verifier.ring.jwks().keys.map((k) => ({
      kty: String(k.kty),
      kid: String(k.kid),
      alg: String(k.alg),
      use: String(k.use),
      ...(k.crv ? { crv: k.crv } : {}),
      ...(k.x ? { x: k.x } : {}),
      ...(k.y ? { y: k.y } : {}),
    }));
    return c.json({ keys }, 200);
  });
}
