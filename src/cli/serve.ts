/** @module `bkg serve`: run the server in the foreground until SIGINT or SIGTERM. */
import { resolveConfig } from "../config.ts";
import { Server } from "../server.ts";
import { log } from "../telemetry/mod.ts";
import { SqlBackend } from "../sql_backend/mod.ts";
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
    // Listen for signals before anything binds: a signal that arrives while the server starts
    // (its HTTP port may already answer) must still end in a clean shutdown and exit 0.
    const signalled = Promise.withResolvers<Deno.Signal>();
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      Deno.addSignalListener(signal, () => signalled.resolve(signal));
    }
    const server = await Server.start(config, { pgBackend: SqlBackend.open });
    signalled.promise.then((signal) => {
      log("info", "shutting down", { signal });
      server.stop();
    });
    await server.finished;
    return 0;
  },
};
