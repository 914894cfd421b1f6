/**
 * @module Authentication of one startup user. JWT roles (`anon`, `authenticated`,
 * `service_role`) are asked for a cleartext password that must be a JWT naming that role; every
 * other user does SCRAM-SHA-256 against the role's verifier (a mock one when the role is unknown,
 * so the exchange does not reveal which roles exist). A failure waits a moment, then is 28P01.
 */
import { DbError, SqlState } from "../../db/sqlstate.ts";
import { type JwtClaims, jwtRoles, type JwtVerifier } from "../auth/mod.ts";
import type { RoleInfo } from "./backend.ts";
import type { MessageCursor, WireWriter } from "./codec.ts";
import { AuthCode, writeAuth } from "./replies.ts";
import {
  mockScramVerifier,
  parseScramVerifier,
  ScramExchange,
  tlsServerEndPoint,
} from "./scram.ts";

/** What authentication needs from its connection. */
export interface AuthChannel {
  out: WireWriter;
  flush(): Promise<void>;
  /** The next message, which must be a PasswordMessage / SASL response ('p'). */
  readPassword(): Promise<MessageCursor>;
}

/** What authentication needs to know. */
export interface AuthContext {
  user: string;
  role: RoleInfo | undefined;
  jwt: JwtVerifier;
  /** A per-process random value that keys mock SCRAM verifiers. */
  mockSecret: Uint8Array;
  failureDelayMs: number;
  /** The server certificate (DER) on a TLS connection: SCRAM-SHA-256-PLUS is offered then. */
  certificate?: Uint8Array;
}

/** A successful login. */
export interface AuthResult {
  superuser: boolean;
  claims?: JwtClaims;
}

/**
 * Runs the authentication exchange; returns the login or throws a FATAL DbError.
 *
 * @example
 * const { superuser, claims } = await authenticate(channel, { user, role, jwt, mockSecret, failureDelayMs: 200 });
 */
export async function authenticate(ch: AuthChannel, ctx: AuthContext): Promise<AuthResult> {
  if ((jwtRoles as readonly string[]).includes(ctx.user)) return await jwtLogin(ch, ctx);
  return await scramLogin(ch, ctx);
}

async function jwtLogin(ch: AuthChannel, ctx: AuthContext): Promise<AuthResult> {
  writeAuth(ch.out, AuthCode.cleartextPassword);
  await ch.flush();
  const c = await ch.readPassword();
  const token = c.cstring();
  c.finish();
  let claims: JwtClaims;
  try {
    claims = await ctx.jwt.verify(token);
  } catch {
    return await fail(ctx);
  }
  if (claims.role !== ctx.user || ctx.role === undefined) return await fail(ctx);
  // A JWT never names a superuser, whatever the catalog says.
  return { superuser: false, claims };
}

async function scramLogin(ch: AuthChannel, ctx: AuthContext): Promise<AuthResult> {
  // An expired password (VALID UNTIL in the past) is as no password: the exchange fails, 28P01.
  const expired = (ctx.role?.validUntilMs ?? Infinity) < Date.now();
  const stored = ctx.role?.scramVerifier === undefined || expired
    ? undefined
    : parseScramVerifier(ctx.role.scramVerifier);
  const verifier = stored ?? mockScramVerifier(ctx.user, ctx.mockSecret);
  const binding = ctx.certificate === undefined ? undefined : tlsServerEndPoint(ctx.certificate);
  const mechanisms = binding === undefined
    ? ["SCRAM-SHA-256"]
    : ["SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"];
  writeAuth(ch.out, AuthCode.sasl, mechanisms);
  await ch.flush();

  let c = await ch.readPassword();
  const mechanism = c.cstring();
  if (!mechanisms.includes(mechanism)) {
    throw new DbError(
      SqlState.protocolViolation,
      "client selected an invalid SASL authentication mechanism",
      { severity: "FATAL" },
    );
  }
  const len = c.int32();
  const first = new TextDecoder().decode(c.bytes(len));
  c.finish();
  const exchange = new ScramExchange(verifier, {
    channelBinding: binding,
    plus: mechanism === "SCRAM-SHA-256-PLUS",
  });
  writeAuth(ch.out, AuthCode.saslContinue, new TextEncoder().encode(exchange.first(first)));
  await ch.flush();

  c = await ch.readPassword();
  const final = new TextDecoder().decode(c.bytes(c.remaining));
  const serverFinal = exchange.final(final);
  if (serverFinal === undefined || stored === undefined) return await fail(ctx);
  writeAuth(ch.out, AuthCode.saslFinal, new TextEncoder().encode(serverFinal));
  return { superuser: ctx.role!.superuser };
}

async function fail(ctx: AuthContext): Promise<never> {
  await new Promise((r) => setTimeout(r, ctx.failureDelayMs));
  throw new DbError(
    SqlState.invalidPassword,
    `password authentication failed for user "${ctx.user}"`,
    { severity: "FATAL" },
  );
}
