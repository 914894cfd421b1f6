/** @module postgres_changes filter parsing and matching. */
import assert from "node:assert/strict";
import { matchesFilter, parseFilter } from "../../src/realtime/filter.ts";

Deno.test("filters compare numbers numerically and text as text", () => {
  const row = { id: 10, name: "bob", gone: null };
  const yes = ["id=eq.10", "id=neq.9", "id=lt.11", "id=lte.10", "id=gt.9", "id=gte.10"];
  for (const f of yes) assert.ok(matchesFilter(parseFilter(f), row), f);
  const no = ["id=eq.9", "id=lt.10", "id=gt.10", "id=in.(1,2)", "gone=eq.null", "nope=eq.1"];
  for (const f of no) assert.ok(!matchesFilter(parseFilter(f), row), f);
  assert.ok(matchesFilter(parseFilter("name=in.(alice,bob)"), row));
  assert.ok(matchesFilter(parseFilter("id=gt.9.5"), row));
});

Deno.test("malformed filters are refused with a message", () => {
  assert.throws(() => parseFilter("id=like.x"), /invalid filter "id=like.x"/);
  assert.throws(() => parseFilter("id"), /invalid filter/);
  assert.throws(() => parseFilter("id=in.1,2"), /in expects a list/);
});
