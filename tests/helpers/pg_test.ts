import assert from "node:assert/strict";
import { startPostgres } from "./pg.ts";

Deno.test("the PostgreSQL oracle starts, answers and stops", async () => {
  const pg = await startPostgres();
  try {
    const [row] = await pg
      .sql`select current_setting('server_version_num')::int as v, 1 + 1 as two`;
    assert.ok(row!.v >= 150000 && row!.v < 160000);
    assert.equal(row!.two, 2);
  } finally {
    await pg.stop();
  }
});
