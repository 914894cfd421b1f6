/** @module `bkg version`: print the version of bkg and of the runtime under it. */
import { version } from "../version.ts";
import { type Command, parseCommandArgs } from "./command.ts";

/** `bkg version`. */
export const versionCommand: Command = {
  name: "version",
  summary: "print the version",
  help: `Usage: bkg version

Prints the bkg version, then the Deno, V8 and TypeScript versions it runs on.`,
  run(args) {
    const parsed = parseCommandArgs(args, {}, { settingsFlags: false });
    if (parsed.help) {
      console.log(versionCommand.help);
      return Promise.resolve(0);
    }
    console.log(`bkg ${version}`);
    console.log(
      `deno ${Deno.version.deno}, v8 ${Deno.version.v8}, typescript ${Deno.version.typescript}`,
    );
    return Promise.resolve(0);
  },
};
