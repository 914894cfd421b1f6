/**
 * @module `deno task test`: runs every test (`deno test -A --parallel`, arguments passed on)
 * and ends with the one line CI reads: `tests: N passed, N failed, N skipped`.
 * Knobs for the long loops are environment variables documented in docs/testing.md.
 */

const root = new URL("../", import.meta.url).pathname;
const args = Deno.args.length > 0 ? Deno.args : ["tests/"];

const child = new Deno.Command(Deno.execPath(), {
  args: ["test", "-A", "--parallel", ...args],
  cwd: root,
  env: { NO_COLOR: "1" },
  stdout: "piped",
  stderr: "inherit",
}).spawn();

// Stream the output through while keeping the tail that holds Deno's summary.
let tail = "";
const decoder = new TextDecoder();
for await (const chunk of child.stdout) {
  await Deno.stdout.write(chunk);
  tail = (tail + decoder.decode(chunk, { stream: true })).slice(-4096);
}
const status = await child.status;

// Deno's summary: "ok | 12 passed (3 steps) | 0 failed | 2 ignored (5s)".
const summary = tail.split("\n").reverse().find((l) => /^(ok|FAILED) \| /.test(l.trim()));
const count = (word: string) => Number(summary?.match(new RegExp(`(\\d+) ${word}`))?.[1] ?? 0);
const failed = summary ? count("failed") : Math.max(1, count("failed"));
console.log(`tests: ${count("passed")} passed, ${failed} failed, ${count("ignored")} skipped`);
Deno.exit(status.success && summary !== undefined ? 0 : 1);
