/**
 * @module The `bkg` program. Run it with `deno task bkg <command>` or, compiled, as `bkg`.
 * Every subcommand lives in src/cli/.
 */
import { runCli } from "./src/cli/mod.ts";

if (import.meta.main) {
  Deno.exit(await runCli(Deno.args));
}
