import assert from "node:assert/strict";
import { admin, sandboxTest, sh, withManager } from "./helpers.ts";

const count = Number(Deno.env.get("BKG_CAVE_CONCURRENT") ?? 20);

sandboxTest(
  `${count} sandboxes run at once, each isolated with its own uid and hostname`,
  async () => {
    await withManager(async (m) => {
      const t0 = performance.now();
      // Created and started four at a time (each start is a Deno start-up on a shared two-core
      // host), then all of them run commands at once.
      const ids: string[] = [];
      for (let at = 0; at < count; at += 4) {
        const batch = Array.from({ length: Math.min(4, count - at) }, async (_, j) => {
          const { id } = await m.create(admin, {
            limits: { memoryBytes: 256 << 20, diskBytes: 32 << 20 },
            hostname: `box${at + j}`,
          });
          await m.start(admin, id);
          return id;
        });
        ids.push(...await Promise.all(batch));
      }
      assert.equal(m.list(admin).filter((s) => s.state === "running").length, count);
      const script = (i: number) =>
        `echo ${i} > /tmp/me; hostname; cat /tmp/me; ls /tmp | wc -l; ` +
        `for p in /proc/[0-9]*; do echo x; done | wc -l`;
      const results = await Promise.all(ids.map((id, i) => sh(m, id, script(i))));
      results.forEach((r, i) => {
        const [host, me, files, procs] = r.out.trim().split("\n");
        assert.equal(host, `box${i}`);
        assert.equal(me, String(i));
        assert.equal(files, "1", "only its own file in /tmp");
        assert.ok(Number(procs) < 8, `only its own processes (${procs})`);
      });
      const uids = new Set(ids.map((id) => m.get(admin, id).uid));
      assert.equal(uids.size, count, "every sandbox has its own host uid");
      const ms = Math.round(performance.now() - t0);
      console.log(`${count} sandboxes created, started and exec'd in ${ms} ms`);
      await Promise.all(ids.map((id) => m.delete(admin, id)));
      assert.deepEqual(m.list(admin), []);
    });
  },
);
