/**
 * pgbench 15 connects unchanged: `-S` (select-only) with `-M simple`, `-M extended` and
 * `-M prepared`, 4 clients, against the listener over the test backend (which answers pgbench's
 * probes and its one SELECT with a fixed row). The TPS printed is the protocol layer's own
 * ceiling on this machine, with no SQL engine behind it. Duration: BKG_PGWIRE_PGBENCH_SECONDS
 * (default 2).
 */
import assert from "node:assert/strict";
import { adminPassword, startTestServer } from "./wire_client.ts";

const seconds = Deno.env.get("BKG_PGWIRE_PGBENCH_SECONDS") ?? "2";

for (const mode of ["simple", "extended", "prepared"]) {
  Deno.test(`pgbench -S -M ${mode} -c 4 runs against the listener without failures`, async () => {
    const server = await startTestServer({ maxConnections: 10 });
    try {
      const out = await new Deno.Command("/usr/lib/postgresql/15/bin/pgbench", {
        args: [
          "-n",
          "-S",
          "-M",
          mode,
          "-c",
          "4",
          "-j",
          "2",
          "-T",
          seconds,
          "-h",
          "127.0.0.1",
          "-p",
          String(server.port),
          "-U",
          "postgres",
          "postgres",
        ],
        env: { PGPASSWORD: adminPassword },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
      assert.equal(out.code, 0, text);
      assert.match(text, /number of failed transactions: 0 /);
      const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(text)?.[1]);
      assert.ok(tps > 0, text);
      console.log(`pgbench -S -M ${mode} -c 4 over the test backend: ${tps.toFixed(0)} tps`);
    } finally {
      await server.close();
    }
  });
}
