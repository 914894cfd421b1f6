/**
 * @module A randomized model test: several sessions run random interleaved transactions (random reads
 * and writes, random commit or abort, random isolation) against a simple reference model of
 * the committed state. Each statement's result is checked against what the model says its
 * snapshot sees; at the end the table equals the model. `BKG_MODEL_SEEDS` sets how many seeds
 * (default 6); a failure names its seed.
 */
import assert from "node:assert/strict";
import { DbError, runStatement, SqlState, type Transaction } from "../core.ts";
import { findKey, kvTable, randInt, rng, tempDb } from "../helpers.ts";

type View = Map<number, number>;

function overlay(base: View, local: Map<number, number | null>): View {
  const out = new Map(base);
  for (const [k, v] of local) v === null ? out.delete(k) : out.set(k, v);
  return out;
}

async function runSeed(seed: number): Promise<{ commits: number; aborts: number }> {
  const r = rng(seed);
  const h = await tempDb({ fsync: false });
  const db = h.db;
  const [t, pk] = await kvTable(db);
  const committed: View = new Map();
  const localByXid = new Map<number, Map<number, number | null>>();
  db.onCommit((e) => {
    const local = localByXid.get(e.xid);
    if (local) {
      for (const [k, v] of local) {
        v === null ? committed.delete(k) : committed.set(k, v);
      }
    }
  });
  let commits = 0;
  let aborts = 0;
  const keys = 12;

  async function session(id: number): Promise<void> {
    for (let n = 0; n < 25; n++) {
      const rr = r() < 0.5;
      const txn: Transaction = db.begin({ isolation: rr ? "repeatable read" : "read committed" });
      const local = new Map<number, number | null>();
      localByXid.set(txn.xid, local);
      let rrView: View | undefined;
      const viewNow = () =>
        overlay(rr ? (rrView ??= new Map(committed)) : new Map(committed), local);
      const latest = () => overlay(committed, local);
      let ok = true;
      try {
        for (let s = 0, ops = 1 + randInt(r, 5); s < ops; s++) {
          await new Promise((res) => setTimeout(res, randInt(r, 2)));
          const k = randInt(r, keys);
          const v = randInt(r, 1000);
          const op = randInt(r, 4);
          const where = `seed ${seed} session ${id} txn ${txn.xid} op ${op} key ${k}`;
          if (op === 0) {
            await runStatement(txn, () => {
              const view = viewNow();
              const seen = new Map<number, number>();
              for (const c = txn.scan(t); c.next();) {
                seen.set(c.row[0] as number, c.row[1] as number);
              }
              assert.deepEqual(seen, view, where);
            });
          } else if (op === 1) {
            try {
              await runStatement(txn, () => {
                // Under REPEATABLE READ the first statement fixes the snapshot.
                const view = viewNow();
                const expectConflict = latest().has(k);
                // A row deleted by a commit after our snapshot frees its key, yet our snapshot
                // still shows it: inserting then shows two rows with one key, as PostgreSQL
                // does too. A map cannot model that, so the case is skipped.
                if (view.has(k) && !expectConflict) return;
                try {
                  txn.insert(t, [k, v]);
                } catch (err) {
                  if (err instanceof DbError && err.code === SqlState.uniqueViolation) {
                    assert.ok(expectConflict, `${where}: unexpected 23505`);
                  }
                  throw err;
                }
                assert.ok(!expectConflict, `${where}: insert should have failed`);
                local.set(k, v);
              });
            } catch (err) {
              if (err instanceof DbError && err.code === SqlState.uniqueViolation) {
                ok = false;
                break;
              }
              throw err;
            }
          } else {
            await runStatement(txn, () => {
              const view = viewNow();
              const rowId = findKey(txn, pk, k);
              assert.equal(rowId !== undefined, view.has(k), `${where}: index lookup`);
              if (rowId === undefined) return;
              assert.deepEqual(txn.fetch(t, rowId), [k, view.get(k)], where);
              if (op === 2) {
                assert.ok(txn.update(t, rowId, [k, v]), where);
                local.set(k, v);
              } else {
                assert.ok(txn.delete(t, rowId), where);
                local.set(k, null);
              }
            });
          }
        }
      } catch (err) {
        if (
          !(err instanceof DbError) ||
          (err.code !== SqlState.deadlockDetected && err.code !== SqlState.serializationFailure)
        ) throw err;
        ok = false;
      }
      if (ok && r() < 0.8) {
        await txn.commit();
        commits++;
      } else {
        txn.rollback();
        aborts++;
      }
      localByXid.delete(txn.xid);
    }
  }

  await Promise.all([0, 1, 2, 3].map(session));
  const check = db.begin();
  await runStatement(check, () => {
    const seen = new Map<number, number>();
    for (const c = check.scan(t); c.next();) seen.set(c.row[0] as number, c.row[1] as number);
    assert.deepEqual(seen, committed, `seed ${seed}: final state`);
  });
  check.rollback();
  await db.vacuum();
  const after = db.begin();
  await runStatement(after, () => {
    let n = 0;
    for (const c = after.indexScan(pk); c.next();) n++;
    assert.equal(n, committed.size, `seed ${seed}: index after vacuum`);
  });
  after.rollback();
  await h.cleanup();
  return { commits, aborts };
}

Deno.test("model: random interleaved transactions agree with a reference model of the committed state", async () => {
  const n = Number(Deno.env.get("BKG_MODEL_SEEDS") ?? 6);
  let commits = 0;
  for (let seed = 1; seed <= n; seed++) {
    try {
      commits += (await runSeed(seed)).commits;
    } catch (err) {
      console.error(`model test failed with seed ${seed}`);
      throw err;
    }
  }
  assert.ok(commits > n * 20, `enough commits (${commits})`);
});
