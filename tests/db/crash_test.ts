/**
 * @module The crash test: a child process (crash_driver.ts) commits bank transfers with real fsync and
 * is killed with SIGKILL at a random moment, again and again on the same directory; after each
 * kill the directory is opened here and checked: every acknowledged commit is present, no
 * partial transaction is visible, the total is unchanged, and the sequence never repeats.
 * `BKG_CRASH_ROUNDS` sets the rounds (default 20).
 */
import assert from "node:assert/strict";
import { Database } from "./core.ts";
import { verifyBank } from "./bank.ts";
import { randInt, rng } from "./helpers.ts";

const driver = new URL("./crash_driver.ts", import.meta.url).pathname;

Deno.test("crash: SIGKILL at random moments loses no acknowledged commit and breaks no invariant", async () => {
  const rounds = Number(Deno.env.get("BKG_CRASH_ROUNDS") ?? 20);
  const root = await Deno.makeTempDir({ prefix: "bkg-crash-" });
  const dir = `${root}/db`;
  const r = rng(Number(Deno.env.get("BKG_CRASH_SEED") ?? Date.now() % 100000));
  const acked: number[] = [];
  const handed: bigint[] = [];
  let totalAcks = 0;
  try {
    for (let round = 0; round < rounds; round++) {
      const child = new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", driver, dir, String(round + 1)],
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const stderr = new Response(child.stderr).text();
      const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      let ready = false;
      let killAt = Infinity;
      let killed = false;
      for (;;) {
        const timer = !killed && ready
          ? setTimeout(() => {
            killed = true;
            child.kill("SIGKILL");
          }, Math.max(0, killAt - Date.now()))
          : undefined;
        const { value, done } = await reader.read();
        clearTimeout(timer);
        if (done) break;
        buffer += value;
        if (!ready && buffer.includes("ready\n")) {
          ready = true;
          killAt = Date.now() + 20 + randInt(r, 400);
        }
        if (!killed && Date.now() >= killAt) {
          killed = true;
          child.kill("SIGKILL");
        }
      }
      const status = await child.status;
      assert.equal(
        status.signal,
        "SIGKILL",
        `round ${round}: driver ended by itself: ${await stderr}`,
      );
      for (const line of buffer.split("\n")) {
        if (line.startsWith("ack ")) {
          acked.push(Number(line.slice(4)));
          totalAcks++;
        } else if (line.startsWith("seq ")) handed.push(BigInt(line.slice(4)));
      }
      if (Deno.env.get("BKG_CRASH_KEEP")) {
        await new Deno.Command("cp", { args: ["-r", dir, `${root}/before`] }).output();
        await Deno.remove(`${root}/before`, { recursive: true }).catch(() => {});
        await new Deno.Command("cp", { args: ["-r", dir, `${root}/before`] }).output();
      }
      const db = await Database.open(dir, {
        checkpointIntervalMs: 0,
        vacuumIntervalMs: 0,
        log: () => {},
      });
      const check = await verifyBank(db, acked, handed);
      await db.close();
      if (check.problem !== null && Deno.env.get("BKG_CRASH_KEEP")) {
        await Deno.writeTextFile(`${root}/acked.json`, JSON.stringify({ acked, out: buffer }));
        console.error(`kept ${root}`);
        return;
      }
      assert.equal(check.problem, null, `round ${round}: ${check.problem}`);
      if (check.next !== null) handed.push(check.next);
    }
    assert.ok(totalAcks > rounds, `the driver committed work (${totalAcks} acks)`);
  } finally {
    if (!Deno.env.get("BKG_CRASH_KEEP")) await Deno.remove(root, { recursive: true });
  }
});
