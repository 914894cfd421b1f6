/**
 * @module Refresh tokens: random opaque strings handed to the client once and stored only as
 * their SHA-256 (a leaked table does not hold usable tokens); each refresh rotates the token,
 * and a revoked token used again revokes the session it belongs to (GoTrue's reuse detection).
 */

/** A new token and the hash to store. */
export async function newRefreshToken(): Promise<{ token: string; hash: string }> {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const token = btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_")
    .replace(/=+$/, "");
  return { token, hash: await hashRefreshToken(token) };
}

/** The stored form of a token: hex SHA-256. */
export async function hashRefreshToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
