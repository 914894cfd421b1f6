/**
 * @module `bkg audit verify <file> [--public-key FILE]`: checks an audit log's hash chain and
 * Ed25519 signatures (kernel/audit.ts). Exits 0 when intact, 1 naming the first bad line, 2 on
 * a usage error. The public key defaults to `audit-key.pub` beside the log.
 */
import { importPublicKey, verifyAuditFile } from "../../kernel/mod.ts";
import { type Command, parseCommandArgs, UsageError } from "./command.ts";

const help = `Usage: bkg audit verify <file> [--public-key FILE]

Checks the audit log <file> (e.g. ./data/audit/audit.jsonl): every line's hash of the line before
it and its Ed25519 signature. The public key defaults to audit-key.pub beside the file.
Exits 0 when the log is intact, 1 naming the first bad line.`;

/** `bkg audit`. */
export const auditCommand: Command = {
  name: "audit",
  summary: "verify the signed, hash-chained sandbox audit log",
  help,
  async run(args) {
    const [sub, ...rest] = args;
    if (sub === "--help" || sub === "-h") {
      console.log(help);
      return 0;
    }
    if (sub !== "verify") {
      throw new UsageError(
        sub === undefined ? "missing audit command" : `unknown audit command '${sub}'`,
      );
    }
    const parsed = parseCommandArgs(rest, { "public-key": { type: "string" } }, {
      settingsFlags: false,
      positionals: true,
    });
    if (parsed.help) {
      console.log(help);
      return 0;
    }
    if (parsed.positionals.length !== 1) throw new UsageError("audit verify needs one file");
    const file = parsed.positionals[0]!;
    const keyPath = parsed.flags["public-key"] ??
      `${file.includes("/") ? file.slice(0, file.lastIndexOf("/")) : "."}/audit-key.pub`;
    let keyText: string;
    try {
      keyText = await Deno.readTextFile(keyPath);
    } catch (err) {
      console.error(`bkg audit: cannot read the public key ${keyPath}: ${(err as Error).message}`);
      return 1;
    }
    let verdict;
    try {
      verdict = await verifyAuditFile(file, await importPublicKey(keyText));
    } catch (err) {
      console.error(`bkg audit: cannot verify ${file}: ${(err as Error).message}`);
      return 1;
    }
    if (verdict.ok) {
      console.log(`${file}: intact, ${verdict.lines} lines`);
      return 0;
    }
    console.error(`${file}: line ${verdict.line}: ${verdict.reason}`);
    return 1;
  },
};
