/**
 * @module The GoTrue-compatible user store in BKG-DB's `auth` schema: the tables (created at
 * start when missing, columns as Supabase's), users with scrypt password hashes, sessions, and
 * rotating refresh tokens with reuse detection. It speaks SQL through {@link AuthSql}, which the
 * HTTP door implements on an engine session as the superuser, one transaction per call.
 */
import { hashPassword, verifyPassword } from "./passwords.ts";
import { hashRefreshToken, newRefreshToken } from "./refresh_tokens.ts";

/** A row as JSON values (timestamps as PostgreSQL text, jsonb as objects). */
export type AuthRow = Record<string, unknown>;

/** One statement at a time, inside the caller's transaction. */
export interface AuthSql {
  query(sql: string, params?: unknown[]): Promise<AuthRow[]>;
}

/** Runs `fn` in one transaction (committed when it returns, rolled back when it throws). */
export type AuthTransaction = <T>(fn: (sql: AuthSql) => Promise<T>) => Promise<T>;

/** The statements that create the auth tables (idempotent). */
export const authSchemaSql: readonly string[] = [
  `create schema if not exists auth`,
  `create table if not exists auth.users (
    id uuid primary key default gen_random_uuid(),
    aud text,
    role text,
    email text unique,
    encrypted_password text,
    email_confirmed_at timestamptz,
    last_sign_in_at timestamptz,
    raw_app_meta_data jsonb not null default '{}'::jsonb,
    raw_user_meta_data jsonb not null default '{}'::jsonb,
    is_anonymous boolean not null default false,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now())`,
  `create table if not exists auth.sessions (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null references auth.users (id) on delete cascade,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    refreshed_at timestamptz)`,
  `create table if not exists auth.refresh_tokens (
    id bigserial primary key,
    token text not null unique,
    user_id uuid not null references auth.users (id) on delete cascade,
    session_id uuid not null references auth.sessions (id) on delete cascade,
    parent text,
    revoked boolean not null default false,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now())`,
  `create index if not exists refresh_tokens_session_id_idx on auth.refresh_tokens (session_id)`,
  `create index if not exists sessions_user_id_idx on auth.sessions (user_id)`,
];

/** Keeps the tables away from the API roles (they hold password hashes and token hashes). */
export const authRevokeSql =
  `revoke all on table auth.users, auth.sessions, auth.refresh_tokens from public, anon, authenticated`;

/** A refused auth request, worded as GoTrue does (`error_code`, `msg`). */
export class AuthFailure extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 422,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "AuthFailure";
  }
}

/** What a sign-in produced: the user and the session's first (or next) refresh token. */
export interface SignedIn {
  user: AuthRow;
  sessionId: string;
  refreshToken: string;
}

const userColumns = `id, aud, role, email, encrypted_password, email_confirmed_at,
  last_sign_in_at, raw_app_meta_data, raw_user_meta_data, is_anonymous, created_at, updated_at`;

/** The auth operations, each one transaction. */
export class UserStore {
  constructor(readonly tx: AuthTransaction, readonly aud: string) {}

  /** Creates a confirmed user (no mail server: GoTrue's autoconfirm) and signs it in. */
  async signUp(email: string, password: string, data: AuthRow): Promise<SignedIn> {
    const hash = await hashPassword(password);
    try {
      return await this.#signUp(email, hash, data);
    } catch (err) {
      // A concurrent signup of the same email lost the race on the unique index.
      if ((err as { code?: unknown }).code === "23505") throw alreadyRegistered();
      throw err;
    }
  }

  #signUp(email: string, hash: string, data: AuthRow): Promise<SignedIn> {
    return this.tx(async (sql) => {
      const taken = await sql.query(`select 1 from auth.users where email = $1`, [email]);
      if (taken.length > 0) throw alreadyRegistered();
      const [user] = await sql.query(
        `insert into auth.users (aud, role, email, encrypted_password, email_confirmed_at,
           last_sign_in_at, raw_app_meta_data, raw_user_meta_data)
         values ($1, 'authenticated', $2, $3, now(), now(), $4::jsonb, $5::jsonb)
         returning ${userColumns}`,
        [this.aud, email, hash, { provider: "email", providers: ["email"] }, data],
      );
      return await startSession(sql, user!);
    });
  }

  /** grant_type=password. */
  async signIn(email: string, password: string): Promise<SignedIn> {
    const [found] = await this.tx((sql) =>
      sql.query(`select ${userColumns} from auth.users where email = $1`, [email])
    );
    const ok = await verifyPassword(password, found?.encrypted_password as string | undefined);
    if (!ok || found === undefined) {
      throw new AuthFailure(400, "invalid_credentials", "Invalid login credentials");
    }
    return await this.tx(async (sql) => {
      const [user] = await sql.query(
        `update auth.users set last_sign_in_at = now() where id = $1 returning ${userColumns}`,
        [found.id],
      );
      return await startSession(sql, user!);
    });
  }

  /**
   * grant_type=refresh_token: revokes `token` and hands out its successor. A token that was
   * already revoked is a replay (or a theft): its whole session ends, committed before the
   * refusal.
   */
  async refresh(token: string): Promise<SignedIn> {
    const hash = await hashRefreshToken(token);
    const next = await newRefreshToken();
    const outcome = await this.tx(async (sql) => {
      const [used] = await sql.query(
        `update auth.refresh_tokens set revoked = true, updated_at = now()
         where token = $1 and not revoked returning user_id, session_id`,
        [hash],
      );
      if (used === undefined) {
        const [old] = await sql.query(
          `select session_id from auth.refresh_tokens where token = $1`,
          [hash],
        );
        if (old === undefined) return { failure: "not_found" as const };
        await sql.query(`delete from auth.sessions where id = $1`, [old.session_id]);
        return { failure: "reused" as const };
      }
      await sql.query(
        `insert into auth.refresh_tokens (token, user_id, session_id, parent) values ($1, $2, $3, $4)`,
        [next.hash, used.user_id, used.session_id, hash],
      );
      await sql.query(
        `update auth.sessions set refreshed_at = now(), updated_at = now() where id = $1`,
        [
          used.session_id,
        ],
      );
      const [user] = await sql.query(`select ${userColumns} from auth.users where id = $1`, [
        used.user_id,
      ]);
      return { user: user!, sessionId: String(used.session_id), refreshToken: next.token };
    });
    if ("failure" in outcome) {
      if (outcome.failure === "reused") {
        throw new AuthFailure(
          400,
          "refresh_token_already_used",
          "Invalid Refresh Token: Already Used",
        );
      }
      throw new AuthFailure(
        400,
        "refresh_token_not_found",
        "Invalid Refresh Token: Refresh Token Not Found",
      );
    }
    return outcome;
  }

  /** Ends sessions: `local` this one, `others` the user's other ones, `global` all of them. */
  async signOut(
    userId: string,
    sessionId: string | undefined,
    scope: "global" | "local" | "others",
  ) {
    await this.tx(async (sql) => {
      if (scope === "local") {
        await sql.query(`delete from auth.sessions where id = $1`, [sessionId ?? null]);
      } else if (scope === "others") {
        await sql.query(`delete from auth.sessions where user_id = $1 and id <> $2`, [
          userId,
          sessionId ?? null,
        ]);
      } else {
        await sql.query(`delete from auth.sessions where user_id = $1`, [userId]);
      }
    });
  }

  /** The user of a token's `sub`, checking that its session (if it names one) still exists. */
  async user(userId: string, sessionId: string | undefined): Promise<AuthRow> {
    return await this.tx(async (sql) => {
      const [user] = await sql.query(`select ${userColumns} from auth.users where id = $1`, [
        userId,
      ]);
      if (user === undefined) {
        throw new AuthFailure(403, "user_not_found", "User from sub claim in JWT does not exist");
      }
      if (sessionId !== undefined) {
        const live = await sql.query(`select 1 from auth.sessions where id = $1`, [sessionId]);
        if (live.length === 0) {
          throw new AuthFailure(
            403,
            "session_not_found",
            "Session from session_id claim in JWT does not exist",
          );
        }
      }
      return user;
    });
  }
}

function alreadyRegistered(): AuthFailure {
  return new AuthFailure(422, "user_already_exists", "User already registered");
}

async function startSession(sql: AuthSql, user: AuthRow): Promise<SignedIn> {
  const [session] = await sql.query(
    `insert into auth.sessions (user_id) values ($1) returning id`,
    [user.id],
  );
  const first = await newRefreshToken();
  await sql.query(
    `insert into auth.refresh_tokens (token, user_id, session_id) values ($1, $2, $3)`,
    [first.hash, user.id, session!.id],
  );
  return { user, sessionId: String(session!.id), refreshToken: first.token };
}
