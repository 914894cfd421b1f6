/**
 * @module Runs one case file on both sides: a fresh PostgreSQL database and a fresh BKG-DB data
 * directory, named connections opened on demand, one `t.step` per case naming the file, the
 * line and the SQL, with both sides' output in the failure message.
 */
import { checkOracle, compareOutcomes } from "./compare.ts";
import { type Outcome, showOutcome, type SideConnection, type SideDatabase } from "./outcome.ts";
import type { SltRecord } from "./slt.ts";

/**
 * Cases BKG-DB is known to answer differently, as `file:line` at the start of a line of
 * known_failures.txt (a `#` comment after it says why). Such a case must still fail — once it
 * passes, its step fails until the line is removed — so the list can only shrink honestly.
 */
export const knownFailures: ReadonlySet<string> = new Set(
  Deno.readTextFileSync(new URL("./known_failures.txt", import.meta.url)).split("\n")
    .map((l) => l.replace(/#.*/, "").trim()).filter((l) => l !== ""),
);

/** Which sides run: both (the default), or PostgreSQL only to validate the cases. */
export type Target = "both" | "pg";

/** `BKG_COMPAT_TARGET`: `pg` validates cases against PostgreSQL alone; default `both`. */
export function targetFromEnv(): Target {
  const v = Deno.env.get("BKG_COMPAT_TARGET") ?? "both";
  if (v !== "both" && v !== "pg") throw new Error(`BKG_COMPAT_TARGET must be both or pg, not ${v}`);
  return v;
}

/** A statement that takes longer than this on BKG-DB is a failure (a hang, a missed wake-up). */
const bkgStatementTimeoutMs = 20_000;

/** Named sessions on one side. */
export class Sessions {
  #conns = new Map<string, SideConnection>();
  constructor(readonly db: SideDatabase) {}

  async get(name: string): Promise<SideConnection> {
    let c = this.#conns.get(name);
    if (c === undefined) {
      c = await this.db.connect();
      this.#conns.set(name, c);
    }
    return c;
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}

async function withTimeout(p: Promise<Outcome>, ms: number): Promise<Outcome> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<Outcome>((resolve) => {
    timer = setTimeout(
      () =>
        resolve({ ok: false, error: { code: "TIMEOUT", message: `no answer within ${ms} ms` } }),
      ms,
    );
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs one case as a test step (Deno's `t.step`), resolving to whether it passed. */
export type StepFn = (name: string, fn: () => Promise<void>) => Promise<boolean>;

/** Counts for a file's summary line. */
export interface FileStats {
  cases: number;
  passed: number;
  failed: number;
  /** Cases listed in known_failures.txt that still differ (counted in `passed` too). */
  known: number;
  warnings: number;
}

/** A step name: file:line and the SQL's first 80 characters on one line. */
export function stepName(file: string, rec: SltRecord): string {
  const sql = rec.sql.replace(/\s+/g, " ");
  return `${file}:${rec.line} ${sql.length > 80 ? sql.slice(0, 77) + "..." : sql}`;
}

/**
 * Runs `records` in order, one `step` each. `bkg` is null when only PostgreSQL runs (validation mode). Returns the
 * counts; failures are thrown inside their steps so Deno reports each one.
 */
export async function runRecords(
  step: StepFn,
  file: string,
  records: SltRecord[],
  sides: { pg: SideDatabase; bkg: SideDatabase | null },
  opts: { acceptPgError?: (code: string) => boolean } = {},
): Promise<FileStats> {
  const pg = new Sessions(sides.pg);
  const ours = sides.bkg === null ? null : new Sessions(sides.bkg);
  const stats: FileStats = { cases: records.length, passed: 0, failed: 0, known: 0, warnings: 0 };
  try {
    for (const rec of records) {
      const ok = await step(stepName(file, rec), async () => {
        const pgOut = await (await pg.get(rec.connection)).run(rec.sql);
        const broken = checkOracle(rec, pgOut, opts.acceptPgError);
        if (broken !== null) {
          throw new Error(`broken case ${file}:${rec.line}: ${broken}\n${rec.sql}`);
        }
        if (ours === null) return;
        const conn = await ours.get(rec.connection);
        const bkgOut = await withTimeout(conn.run(rec.sql), bkgStatementTimeoutMs);
        const verdict = compareOutcomes(rec, pgOut, bkgOut);
        for (const w of verdict.warnings) {
          stats.warnings++;
          console.warn(`warning ${file}:${rec.line}: ${w}`);
        }
        const known = knownFailures.has(`${file}:${rec.line}`);
        if (known && verdict.failures.length === 0) {
          throw new Error(
            `${file}:${rec.line} now matches PostgreSQL: remove it from tests/compat/known_failures.txt`,
          );
        }
        if (known) {
          stats.known++;
          console.warn(`known failure ${file}:${rec.line}: ${verdict.failures[0]}`);
          return;
        }
        if (verdict.failures.length > 0) {
          throw new Error(
            `${file}:${rec.line} [${rec.connection}]\n${rec.sql}\n--- differences\n` +
              verdict.failures.join("\n") +
              `\n--- PostgreSQL\n${showOutcome(pgOut)}\n--- BKG-DB\n${showOutcome(bkgOut)}`,
          );
        }
      });
      if (ok) stats.passed++;
      else stats.failed++;
    }
  } finally {
    await pg.close();
    await ours?.close();
  }
  return stats;
}
