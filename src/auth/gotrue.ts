/**
 * @module GoTrue's JSON shapes: the user object `/auth/user` and `/auth/token` answer, and the
 * claims of the access token (sub, role `authenticated`, aud, email, session_id, aal, amr,
 * app_metadata, user_metadata) as supabase-js and RLS policies (`auth.uid()`) read them.
 */
import type { AuthRow } from "./users.ts";

/** A timestamptz in PostgreSQL's ISO text (`2024-01-02 03:04:05.123456+00`) as RFC 3339. */
export function rfc3339(v: unknown): string | null {
  if (typeof v !== "string") return null;
  const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?)([+-]\d\d)(?::?(\d\d))?$/.exec(v);
  if (m === null) return v;
  const zone = m[3] === "+00" && (m[4] ?? "00") === "00" ? "Z" : `${m[3]}:${m[4] ?? "00"}`;
  return `${m[1]}T${m[2]}${zone}`;
}

/** GoTrue's user object. */
export interface GoTrueUser {
  id: string;
  aud: string;
  role: string;
  email: string;
  email_confirmed_at: string | null;
  phone: string;
  confirmed_at: string | null;
  last_sign_in_at: string | null;
  app_metadata: Record<string, unknown>;
  user_metadata: Record<string, unknown>;
  identities: unknown[];
  created_at: string | null;
  updated_at: string | null;
  is_anonymous: boolean;
}

/** The user as GoTrue answers it (never the password hash). */
export function userJson(row: AuthRow): GoTrueUser {
  const confirmed = rfc3339(row.email_confirmed_at);
  return {
    id: String(row.id),
    aud: String(row.aud ?? ""),
    role: String(row.role ?? ""),
    email: String(row.email ?? ""),
    email_confirmed_at: confirmed,
    phone: "",
    confirmed_at: confirmed,
    last_sign_in_at: rfc3339(row.last_sign_in_at),
    app_metadata: (row.raw_app_meta_data ?? {}) as Record<string, unknown>,
    user_metadata: (row.raw_user_meta_data ?? {}) as Record<string, unknown>,
    identities: [],
    created_at: rfc3339(row.created_at),
    updated_at: rfc3339(row.updated_at),
    is_anonymous: row.is_anonymous === true,
  };
}

/** The access token's claims (iat and exp are added by the signer). */
export function accessClaims(
  row: AuthRow,
  sessionId: string,
  opts: { aud: string; method: "password" | "token_refresh" },
) {
  return {
    sub: String(row.id),
    aud: opts.aud,
    role: "authenticated" as const,
    email: String(row.email ?? ""),
    phone: "",
    app_metadata: row.raw_app_meta_data ?? {},
    user_metadata: row.raw_user_meta_data ?? {},
    session_id: sessionId,
    aal: "aal1",
    amr: [{ method: opts.method, timestamp: Math.floor(Date.now() / 1000) }],
    is_anonymous: false,
  };
}
