/**
 * @module Loads the SQL corpus of tests/db/sql/corpus/: real-world statements, one file per
 * source, separated by lines `-- @@`. Pieces that hold only comments are dropped.
 */

const dir = new URL("./corpus/", import.meta.url);

/** One statement of the corpus, with the file it came from. */
export interface CorpusStatement {
  file: string;
  sql: string;
}

/** Every statement of every corpus file. */
export async function loadCorpus(): Promise<CorpusStatement[]> {
  const out: CorpusStatement[] = [];
  const files: string[] = [];
  for await (const e of Deno.readDir(dir)) if (e.name.endsWith(".sql")) files.push(e.name);
  files.sort();
  for (const file of files) {
    const text = await Deno.readTextFile(new URL(file, dir));
    for (const piece of text.split(/\n-- @@\n/)) {
      const body = piece.split("\n").filter((l) => !l.startsWith("-- ")).join("\n").trim();
      if (body.length > 0) out.push({ file, sql: piece.trim() });
    }
  }
  return out;
}

/** Deep copy without `location` and `textLength`, for comparing ASTs. */
export function stripLocations(v: unknown): unknown {
  return JSON.parse(
    JSON.stringify(v, (k, x) => (k === "location" || k === "textLength" ? undefined : x)),
  );
}
