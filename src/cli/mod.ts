/**
 * @module The `bkg` command line: the one table of subcommands, and the dispatcher that turns
 * errors into exit statuses (DESIGN.md: 0 success, 2 usage or configuration, 1 other failures).
 * A new subcommand is one file in this folder plus one line in `commands`.
 */
import { ConfigError } from "../config.ts";
import { DataDirLockedError } from "../datadir.ts";
import { StartError } from "../server.ts";
import { type Command, UsageError } from "./command.ts";
import { auditCommand } from "./audit.ts";
import { checkpointCommand } from "./checkpoint.ts";
import { sandboxCommand } from "./sandbox.ts";
import { serveCommand } from "./serve.ts";
import { versionCommand } from "./version.ts";

/** Every subcommand, in the order `bkg --help` lists them. */
export const commands: readonly Command[] = [
  serveCommand,
  sandboxCommand,
  auditCommand,
  checkpointCommand,
  versionCommand,
];

/** The text of `bkg --help`. */
export function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return `Usage: bkg <command> [options]

BKG: a PostgreSQL-compatible database, sandboxes and their control plane in one program.

Commands:
${commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`).join("\n")}

Run 'bkg <command> --help' for a command's options.`;
}

/**
 * Runs the command line `args` and resolves to the exit status.
 *
 * @example
 * Deno.exit(await runCli(Deno.args));
 */
export async function runCli(args: string[]): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    const out = usage();
    if (name === undefined) {
      console.error(out);
      return 2;
    }
    console.log(out);
    return 0;
  }
  if (name === "--version") return await versionCommand.run([]);
  const command = commands.find((c) => c.name === name);
  if (command === undefined) {
    console.error(`bkg: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    return reportFailure(command, err);
  }
}

function reportFailure(command: Command, err: unknown): number {
  if (err instanceof UsageError) {
    console.error(`bkg ${command.name}: ${err.message}\n\n${command.help}`);
    return 2;
  }
  if (err instanceof ConfigError) {
    console.error(`bkg: ${err.message}`);
    return 2;
  }
  if (err instanceof DataDirLockedError || err instanceof StartError) {
    console.error(`bkg: ${err.message}`);
    return 1;
  }
  console.error(`bkg ${command.name}: ${err instanceof Error ? err.message : String(err)}`);
  return 1;
}
