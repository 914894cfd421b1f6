/**
 * @module The type-check and layering half of `deno task check` (fmt and lint run before it):
 * `deno check` on every entry point, then the dependency rules of DESIGN.md and CONVENTIONS.md:
 * - `db/` imports nothing from `src/` or `kernel/`; `kernel/` nothing from `src/` or `db/`;
 * - the storage layers (`db/wal`, `db/storage`, `db/txn`) import nothing from the SQL layers;
 * - code outside a folder of `db/`, `src/` or `kernel/` imports that folder only through its
 *   `mod.ts` (tests may import anything).
 */

const root = new URL("../", import.meta.url).pathname;

async function* walk(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) {
      if (["node_modules", "data", "bin", ".git"].includes(entry.name)) continue;
      yield* walk(path);
    } else if (entry.isFile && /\.(ts|tsx)$/.test(entry.name) && !entry.name.endsWith(".d.ts")) {
      yield path.slice(root.length);
    }
  }
}

const files: string[] = [];
for (const top of ["main.ts", "src", "db", "kernel", "web", "tests", "scripts"]) {
  const stat = await Deno.stat(`${root}${top}`).catch(() => null);
  if (stat === null) continue;
  if (stat.isFile) files.push(top);
  else for await (const f of walk(`${root}${top}`)) files.push(f);
}
files.sort();

const check = await new Deno.Command(Deno.execPath(), {
  args: ["check", "--quiet", ...files],
  cwd: root,
}).output();
if (!check.success) Deno.exit(1);

const sqlLayers = ["sql", "analyze", "rewrite", "plan", "exec", "catalog"];
const storageLayers = ["wal", "storage", "txn"];
const problems: string[] = [];

/** The owning folder of a path: `db/wal`, `src/http`, `kernel`, or undefined. */
function folderOf(path: string): string | undefined {
  const parts = path.split("/");
  if (parts[0] === "kernel") return parts.length > 2 ? `kernel/${parts[1]}` : "kernel";
  if ((parts[0] === "db" || parts[0] === "src") && parts.length > 2) {
    return `${parts[0]}/${parts[1]}`;
  }
  return undefined;
}

for (const file of files) {
  if (file.startsWith("tests/") || file.startsWith("scripts/")) continue;
  const text = await Deno.readTextFile(`${root}${file}`);
  const imports = [...text.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)];
  for (const [, spec] of imports) {
    const target = new URL(spec!, `file://${root}${file}`).pathname.slice(root.length);
    const [fromTop, fromSub] = file.split("/");
    const [toTop, toSub] = target.split("/");
    const say = (why: string) => problems.push(`${file}: imports ${target}: ${why}`);
    if (fromTop === "db" && (toTop === "src" || toTop === "kernel")) say("db/ is a library");
    if (fromTop === "kernel" && (toTop === "src" || toTop === "db")) say("kernel/ stands alone");
    if (
      fromTop === "db" && toTop === "db" && storageLayers.includes(fromSub!) &&
      sqlLayers.includes(toSub!)
    ) say("a storage layer never imports a SQL layer");
    const owner = folderOf(target);
    if (
      owner !== undefined && folderOf(file) !== owner && !file.startsWith(`${owner}/`) &&
      target !== `${owner}/mod.ts`
    ) say(`import ${owner}/mod.ts instead of its private files`);
  }
}

if (problems.length > 0) {
  console.error(problems.join("\n"));
  Deno.exit(1);
}
console.log(`checked ${files.length} files: types and layering ok`);
