/**
 * @module Crashes at thousands of random points on a simulated disk that drops unsynced writes, tears
 * the last one and flips bits in it; each crash is recovered and checked. A failure prints its
 * seed: `BKG_FAULT_SEED=<seed> deno test -A tests/db/fault_injection_test.ts` replays it.
 * `BKG_FAULT_SEEDS` sets how many crash points (default 1000).
 */
import assert from "node:assert/strict";
import { Database, type DatabaseOptions } from "./core.ts";
import { randInt, rng } from "./helpers.ts";
import { setupBank, transfer, verifyBank } from "./bank.ts";
import { SimCrash, SimFileSystem } from "./wal/sim_fs.ts";

const dir = "/sim/db";

function options(fs: SimFileSystem, onPanic: () => void): DatabaseOptions {
  return {
    fs,
    segmentBytes: 1024,
    checkpointWalBytes: 4096,
    checkpointIntervalMs: 0,
    vacuumIntervalMs: 0,
    log: () => {},
    panic: () => {
      onPanic();
      throw new SimCrash();
    },
  };
}

async function trial(seed: number): Promise<void> {
  const r = rng(seed);
  const fs = new SimFileSystem();
  fs.opsUntilCrash = randInt(r, 400);
  const crashed = Promise.withResolvers<"crash">();
  const onPanic = () => crashed.resolve("crash");
  const acked = new Set<number>();
  const handed: bigint[] = [];
  const race = <T>(p: Promise<T>) => Promise.race([p, crashed.promise]);
  let db: Database | undefined;
  try {
    const opened = await race(Database.open(dir, options(fs, onPanic)));
    if (opened === "crash") throw new SimCrash();
    db = opened;
    if ((await race(setupBank(db))) === "crash") throw new SimCrash();
    for (let step = 0; step < 60; step++) {
      if (r() < 0.1) {
        const ck = db.checkpoint();
        ck.catch(() => {});
        if ((await race(ck)) === "crash") break;
        continue;
      }
      const n = 1 + randInt(r, 4);
      const runs = Array.from({ length: n }, () => {
        // synchronous_commit = off acknowledges before the fsync: a crash may lose those.
        const sync = r() < 0.9;
        return transfer(db!, r, (v) => handed.push(v), { synchronousCommit: sync }).then((id) => {
          if (id !== null && sync) acked.add(id);
        });
      });
      if ((await race(Promise.all(runs))) === "crash") break;
    }
  } catch (err) {
    if (!(err instanceof SimCrash)) throw err;
  }
  db?.kill();
  if (!fs.crashed) return;
  const disk = fs.afterCrash(r);
  const db2 = await Database.open(dir, options(disk, () => {}));
  const check = await verifyBank(db2, acked, handed);
  assert.equal(check.problem, null, `seed ${seed}: ${check.problem}`);
  // The log continues cleanly after the cut: one more transfer survives a clean reopen.
  await setupBank(db2);
  const id = await transfer(db2, r);
  await db2.close();
  const db3 = await Database.open(dir, options(disk, () => {}));
  const again = await verifyBank(
    db3,
    id === null ? [] : [id],
    check.next === null ? [] : [check.next],
  );
  assert.equal(again.problem, null, `seed ${seed} after reopen: ${again.problem}`);
  await db3.close();
}

Deno.test("fault injection: recovery after crashes at random points keeps every acknowledged commit and the invariants", async () => {
  const fixed = Deno.env.get("BKG_FAULT_SEED");
  const seeds = fixed !== undefined
    ? [Number(fixed)]
    : Array.from({ length: Number(Deno.env.get("BKG_FAULT_SEEDS") ?? 1000) }, (_, i) => i + 1);
  let crashes = 0;
  for (const seed of seeds) {
    try {
      await trial(seed);
      crashes++;
    } catch (err) {
      console.error(`fault injection failed with seed ${seed}: replay with BKG_FAULT_SEED=${seed}`);
      throw err;
    }
  }
  assert.ok(crashes === seeds.length);
});
