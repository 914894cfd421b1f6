import assert from "node:assert/strict";
import { SandboxManager } from "../../kernel/mod.ts";
import { sandboxTest } from "./helpers.ts";

const mod = new URL("../../kernel/mod.ts", import.meta.url).href;

sandboxTest("a manager cleans up the sandboxes of a process killed with SIGKILL", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "bkg-cave-crash-" });
  try {
    // A separate process creates and starts a sandbox, says so, and is then killed -9.
    const script = `
      import { SandboxManager } from "${mod}";
      const m = await SandboxManager.open({ dataDir: ${
      JSON.stringify(dataDir)
    }, auditFsync: false });
      const who = { actor: "crash", namespace: null };
      const { id } = await m.create(who, { limits: { memoryBytes: 256 << 20, diskBytes: 32 << 20 } });
      await m.start(who, id);
      await m.exec(who, id, { argv: ["/bin/sh", "-c", "sleep 300 >/dev/null 2>&1 &"] });
      console.log(id);
      await new Promise(() => {});
    `;
    const child = new Deno.Command(Deno.execPath(), {
      args: ["eval", script],
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    const { value } = await reader.read();
    const id = (value ?? "").trim();
    assert.match(id, /^sb-[0-9a-f]{12}$/);
    const mounted = async () => (await Deno.readTextFile("/proc/self/mountinfo")).includes(id);
    assert.ok(await mounted());
    child.kill("SIGKILL");
    await child.status;
    reader.releaseLock();
    await child.stdout.cancel().catch(() => {});

    const m = await SandboxManager.open({ dataDir, auditFsync: false });
    try {
      assert.ok(!(await mounted()), "the disk of the dead run is unmounted");
      assert.deepEqual(
        [...Deno.readDirSync(`${dataDir}/sandboxes`)],
        [],
        "its state directory is gone",
      );
      // SIGKILL is delivered at once but a process under heavy load can take a moment to exit;
      // give it up to 3 s (a survivor of the cleanup would stay forever).
      let sleepers = await processesWithArgs("sleep 300");
      for (let i = 0; i < 60 && sleepers.length > 0; i++) {
        await new Promise((r) => setTimeout(r, 50));
        sleepers = await processesWithArgs("sleep 300");
      }
      assert.deepEqual(sleepers, [], "no process of the dead run survives");
    } finally {
      await m.close();
    }
  } finally {
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
});

async function processesWithArgs(text: string): Promise<number[]> {
  const out: number[] = [];
  for await (const e of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    const cmd = await Deno.readTextFile(`/proc/${e.name}/cmdline`).catch(() => "");
    if (cmd.replaceAll("\0", " ").trim() === text) out.push(Number(e.name));
  }
  return out;
}
