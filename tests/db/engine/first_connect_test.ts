/**
 * @module The first sessions of a new data directory: connects that race while the catalog is
 * being created all wait for it (a server's doors open sessions concurrently at start).
 */
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { Database } from "../../../db/mod.ts";

Deno.test("concurrent first connects to a new database all see its catalog", async () => {
  const dir = await Deno.makeTempDir({ prefix: "bkg-first-connect-" });
  const db = await Database.open(`${dir}/db`, { fsync: false, checkpointIntervalMs: 0 });
  try {
    const sessions = await Promise.all(
      ["postgres", "postgres", "anon", "authenticated", "postgres"].map((user) =>
        db.connect({ user, database: "postgres" })
      ),
    );
    for (const s of sessions) {
      const [r] = await s.execute("SELECT current_user::text, current_database()::text");
      assertEquals(r!.rows[0]![1], "postgres");
      await s.close();
    }
  } finally {
    await db.close();
    await Deno.remove(dir, { recursive: true });
  }
});
