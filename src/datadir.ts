/**
 * @module The data directory: created at first start, checked for writing, locked by the
 * operating system (flock on `<data>/bkg.lock`) while a server runs, and the home of the
 * generated secrets (`admin-password`, `jwt-secret`, both 0600).
 */
import { ConfigError, settingName } from "./config.ts";

/** The lock file's name inside the data directory. */
export const lockFileName = "bkg.lock";

/** Another server holds the data directory. */
export class DataDirLockedError extends Error {
  constructor(dir: string, holder: string) {
    super(
      `data directory ${dir} is in use by another bkg server${holder ? ` (pid ${holder})` : ""}`,
    );
    this.name = "DataDirLockedError";
  }
}

/**
 * Creates `dir` when missing and proves it writable; a failure is a ConfigError naming the
 * setting, since the directory is what the user configured.
 */
export async function prepareDataDir(dir: string): Promise<void> {
  const setting = settingName("dataDir");
  try {
    await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new ConfigError(setting, `cannot create ${dir}: ${errorText(err)}`);
  }
  const probe = `${dir}/.write-probe-${Deno.pid}`;
  try {
    await Deno.writeTextFile(probe, "");
    await Deno.remove(probe);
  } catch (err) {
    throw new ConfigError(setting, `${dir} is not writable: ${errorText(err)}`);
  }
}

/** A held data directory lock; the kernel drops it when the process dies, so it never goes stale. */
export interface DataDirLock {
  release(): void;
}

/**
 * Takes the exclusive lock on `<dir>/bkg.lock` without waiting.
 *
 * @example
 * const lock = await lockDataDir("./data"); // throws DataDirLockedError when held
 * lock.release();
 */
export async function lockDataDir(dir: string): Promise<DataDirLock> {
  const path = `${dir}/${lockFileName}`;
  const file = await Deno.open(path, { read: true, write: true, create: true, mode: 0o600 });
  if (!file.tryLockSync(true)) {
    const holder = (await Deno.readTextFile(path).catch(() => "")).trim();
    file.close();
    throw new DataDirLockedError(dir, holder);
  }
  // The pid is only a hint for the message above; the flock is what excludes.
  await file.truncate(0);
  await file.write(new TextEncoder().encode(`${Deno.pid}\n`));
  return {
    release() {
      try {
        file.unlockSync();
        file.close();
      } catch {
        // Already released.
      }
    },
  };
}

/**
 * Returns the secret stored in `<dir>/<name>`, writing `override` there first when given, or a
 * fresh random one at first start (0600).
 */
export async function loadSecret(
  dir: string,
  name: string,
  override: string | undefined,
): Promise<string> {
  const path = `${dir}/${name}`;
  if (override !== undefined) {
    await writePrivate(path, override);
    return override;
  }
  try {
    const stored = (await Deno.readTextFile(path)).trim();
    if (stored !== "") return stored;
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  const fresh = randomToken(32);
  await writePrivate(path, fresh);
  return fresh;
}

/** A random URL-safe token of `bytes` random bytes. */
export function randomToken(bytes: number): string {
  const raw = crypto.getRandomValues(new Uint8Array(bytes));
  return btoa(String.fromCharCode(...raw)).replaceAll("+", "-").replaceAll("/", "_")
    .replace(/=+$/, "");
}

async function writePrivate(path: string, text: string): Promise<void> {
  const tmp = `${path}.tmp`;
  await Deno.writeTextFile(tmp, `${text}\n`, { mode: 0o600 });
  await Deno.chmod(tmp, 0o600);
  await Deno.rename(tmp, path);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message.replace(/\s*\(os error \d+\).*$/, "") : String(err);
}
