/**
 * @module What a subcommand of `bkg` is, the argument parser every subcommand shares, and the
 * errors that decide the exit status (2 for usage and configuration, 1 for other failures).
 */
import { parseArgs } from "node:util";
import { settingFlags, settings } from "../config.ts";

/** One `bkg` subcommand. */
export interface Command {
  name: string;
  /** One line for `bkg --help`. */
  summary: string;
  /** The whole `bkg <name> --help` text. */
  help: string;
  /** Runs the command; resolves to the exit status. */
  run(args: string[]): Promise<number>;
}

/** The user typed something bkg does not understand: exit 2 with the usage. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** The options a command accepts besides the settings' flags. */
export interface FlagSpec {
  [name: string]: { type: "string" | "boolean"; short?: string; multiple?: boolean };
}

/** The parsed command line of one subcommand. */
export interface ParsedArgs {
  flags: Record<string, string | undefined>;
  bools: Record<string, boolean>;
  positionals: string[];
  help: boolean;
}

/**
 * Parses `args` with the settings' flags (`--data-dir`, …) plus `extra`; an unknown flag or a
 * missing value is a UsageError.
 *
 * @example
 * const { flags, positionals } = parseCommandArgs(["--http-port", "9000"], {});
 */
export function parseCommandArgs(
  args: string[],
  extra: FlagSpec,
  opts: { settingsFlags?: boolean; positionals?: boolean } = {},
): ParsedArgs {
  const options: FlagSpec = { help: { type: "boolean", short: "h" }, ...extra };
  if (opts.settingsFlags !== false) {
    for (const flag of settingFlags()) options[flag] = { type: "string" };
  }
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options,
      strict: true,
      allowPositionals: opts.positionals ?? false,
    });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const flags: Record<string, string | undefined> = {};
  const bools: Record<string, boolean> = {};
  for (const [name, value] of Object.entries(parsed.values)) {
    if (typeof value === "boolean") bools[name] = value;
    else if (typeof value === "string") flags[name] = value;
  }
  return { flags, bools, positionals: parsed.positionals, help: bools.help === true };
}

/** The `Settings:` block of a help text, from the settings table. */
export function settingsHelp(keys?: readonly string[]): string {
  const rows = settings.filter((s) => s.flag !== undefined && (!keys || keys.includes(s.key)));
  const width = Math.max(...rows.map((s) => s.flag!.length)) + 2;
  return rows.map((s) =>
    `  --${(s.flag! + " ").padEnd(width, " ")}${s.doc}${s.env ? ` [${s.env}]` : ""}`
  ).join("\n");
}
