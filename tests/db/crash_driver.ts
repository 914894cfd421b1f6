/**
 * @module The child process of the crash test: runs bank transfers against a real database directory
 * (real fsync) with several concurrent workers until it is killed, printing `seq N` for every
 * sequence value it is handed and `ack N` for every commit acknowledged to it.
 *
 * Usage: deno run -A tests/db/crash_driver.ts <dir> <seed>
 */
import { Database } from "./core.ts";
import { setupBank, transfer } from "./bank.ts";
import { rng } from "./helpers.ts";

const [dir, seedText] = Deno.args;
const r = rng(Number(seedText ?? 1));
const db = await Database.open(dir!, {
  segmentBytes: 64 * 1024,
  checkpointWalBytes: 256 * 1024,
  checkpointIntervalMs: 500,
  log: () => {},
});
await setupBank(db);
const encoder = new TextEncoder();
const say = (line: string) => Deno.stdout.writeSync(encoder.encode(line + "\n"));
say("ready");
let n = 0;
async function worker(): Promise<never> {
  for (;;) {
    const id = await transfer(db, r, (v) => say(`seq ${v}`));
    if (id !== null) say(`ack ${id}`);
    if (++n % 150 === 0) await db.checkpoint();
  }
}
await Promise.all([worker(), worker(), worker(), worker()]);
