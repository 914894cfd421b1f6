/** @module `bkg serve`: run the server in the foreground until SIGINT or SIGTERM. */
import { resolveConfig } from "../config.ts";
import { Server } from "../server.ts";
import { type Command, parseCommandArgs, settingsHelp } from "./command.ts";

/** `bkg serve`. */
export const serveCommand: Command = {
  name: "serve",
  summary: "run the server (HTTP API and UIs) until SIGINT or SIGTERM",
  help: `Usage: bkg serve [options]

Runs the server in the foreground. It creates and locks the data directory, and stops
cleanly (exit 0) on SIGINT or SIGTERM after in-flight requests finish.

Options (each also from its environment variable; flags win):
${settingsHelp()}
  -h, --help          show this help`,
  async run(args) {
    const parsed = parseCommandArgs(args, {});
    if (parsed.help) {
      console.log(serveCommand.help);
      return 0;
    }
    const config = resolveConfig(parsed.flags, Deno.env.toObject());
    const server = await Server.start(config);
    server.stopOnSignals();
    await server.finished;
    return 0;
  },
};
