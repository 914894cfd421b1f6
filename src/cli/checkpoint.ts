/** @module `bkg checkpoint`: asks the running server to write a BKG-DB checkpoint now. */
import { resolveConfig } from "../config.ts";
import { callServer } from "./client.ts";
import { type Command, parseCommandArgs, settingsHelp } from "./command.ts";

/** `bkg checkpoint`. */
export const checkpointCommand: Command = {
  name: "checkpoint",
  summary: "ask the running server for a database checkpoint now",
  help: `Usage: bkg checkpoint [options]

Asks the running server (--url) to write a BKG-DB checkpoint now, as the SQL CHECKPOINT does,
and prints its redo LSN, size and duration. Authenticates as the superuser with
BKG_ADMIN_PASSWORD or <data-dir>/admin-password.

Options:
${settingsHelp(["url", "dataDir"])}
  -h, --help          show this help`,
  async run(args) {
    const parsed = parseCommandArgs(args, {});
    if (parsed.help) {
      console.log(checkpointCommand.help);
      return 0;
    }
    const config = resolveConfig(parsed.flags, Deno.env.toObject());
    const body = await callServer(config, "POST", "/admin/checkpoint") as {
      lsn: string;
      bytes: number;
      duration_ms: number;
    };
    console.log(`checkpoint at ${body.lsn}: ${body.bytes} bytes in ${body.duration_ms} ms`);
    return 0;
  },
};
