/**
 * @module psql 15 itself describes tables with policies: `\d` (the "Policies:" footer and its
 * FORCED / enabled-without-policies variants) and `\dp` (the Policies column) print the same text
 * against `bkg serve` as against a real PostgreSQL 15 given the same statements.
 */
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { bkgBootstrapSql, startPostgres } from "../../helpers/pg.ts";
import { pgBin, startEngineServer } from "../../pgwire/engine_server.ts";

const setup = [
  "CREATE TABLE docs (id int PRIMARY KEY, owner text NOT NULL, v int)",
  "ALTER TABLE docs ENABLE ROW LEVEL SECURITY",
  "CREATE POLICY own ON docs USING (owner = current_user)",
  "CREATE POLICY cap ON docs AS RESTRICTIVE FOR UPDATE TO authenticated USING (v > 0) WITH CHECK (v < 100)",
  "CREATE POLICY ins ON docs FOR INSERT TO anon, authenticated WITH CHECK (owner = current_user AND v IN (1, 2))",
  "CREATE POLICY mine ON docs FOR SELECT USING (auth.uid() IS NOT NULL)",
  "CREATE TABLE forced (id int)",
  "ALTER TABLE forced ENABLE ROW LEVEL SECURITY",
  "ALTER TABLE forced FORCE ROW LEVEL SECURITY",
  "CREATE POLICY f ON forced FOR DELETE USING (id > 1)",
  "CREATE TABLE empty_rls (id int)",
  "ALTER TABLE empty_rls ENABLE ROW LEVEL SECURITY",
  "CREATE TABLE policies_off (id int)",
  "CREATE POLICY dormant ON policies_off USING (true)",
];

const commands = [
  "\\d docs",
  "\\d forced",
  "\\d empty_rls",
  "\\d policies_off",
  "\\dp docs",
  "\\dp forced",
];

async function psql(env: Record<string, string>, args: string[]): Promise<string> {
  const out = await new Deno.Command(`${pgBin}/psql`, {
    args: ["-X", "-v", "ON_ERROR_STOP=1", ...args],
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) {
    throw new Error(`psql ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
  return text;
}

Deno.test("psql \\d and \\dp print the same policies for bkg serve as for PostgreSQL", async () => {
  const pg = await startPostgres();
  const bkg = await startEngineServer();
  try {
    const pgEnv = pg.libpqEnv;
    // PostgreSQL gets what BKG-DB bootstraps: the API roles, their grants, schema auth.
    for (const s of bkgBootstrapSql) await psql(pgEnv, ["-q", "-c", s]);
    for (const s of setup) {
      await psql(pgEnv, ["-q", "-c", s]);
      await psql(bkg.libpqEnv, ["-q", "-c", s]);
    }
    const outputs: string[] = [];
    for (const c of commands) {
      const want = await psql(pgEnv, ["-c", c]);
      const got = await psql(bkg.libpqEnv, ["-c", c]);
      assertEquals(got, want, `psql ${c}`);
      outputs.push(want);
    }
    // The comparison covers every footer variant psql has for policies.
    const all = outputs.join("\n");
    for (
      const footer of [
        "Policies:\n",
        'POLICY "cap" AS RESTRICTIVE FOR UPDATE',
        "Policies (forced row security enabled):",
        "Policies (row security enabled): (none)",
        "Policies (row security disabled):",
        "(u): (owner = CURRENT_USER)",
      ]
    ) assertEquals(all.includes(footer), true, `psql output lacks ${footer}:\n${all}`);
  } finally {
    await bkg.stop();
    await pg.stop();
  }
});
