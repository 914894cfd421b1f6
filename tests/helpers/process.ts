/**
 * @module Test helpers that run bkg as a real subprocess: free ports, temporary data
 * directories, and a handle that waits for the server to answer and collects its output.
 */

const repoRoot = new URL("../../", import.meta.url).pathname;

/** The path of main.ts, for `deno run -A main.ts …`. */
export const mainTs = `${repoRoot}main.ts`;

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** Runs `bkg args…` to completion and returns its status and output. */
export async function runBkg(
  args: string[],
  opts: { env?: Record<string, string>; cwd?: string } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", mainTs, ...args],
    env: opts.env,
    cwd: opts.cwd,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** A `bkg serve` running as a child process. */
export class BkgProcess {
  readonly #child: Deno.ChildProcess;
  readonly #stderr: Promise<string>;
  readonly #stdout: Promise<string>;

  constructor(
    readonly httpPort: number,
    readonly dataDir: string,
    args: string[] = [],
    env: Record<string, string> = {},
  ) {
    this.#child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        mainTs,
        "serve",
        "--http-port",
        String(httpPort),
        "--data-dir",
        dataDir,
        ...args,
      ],
      env,
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    this.#stderr = new Response(this.#child.stderr).text();
    this.#stdout = new Response(this.#child.stdout).text();
  }

  /** Starts `bkg serve` on a free port in `dataDir` and waits until /health answers. */
  static async start(
    dataDir: string,
    opts: { args?: string[]; env?: Record<string, string> } = {},
  ): Promise<BkgProcess> {
    const proc = new BkgProcess(freePort(), dataDir, opts.args, opts.env);
    await proc.waitReady();
    return proc;
  }

  get pid(): number {
    return this.#child.pid;
  }

  get url(): string {
    return `http://127.0.0.1:${this.httpPort}`;
  }

  /** Polls /health until it answers 200, or fails after `timeoutMs`. */
  async waitReady(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exited = false;
    this.#child.status.then(() => exited = true);
    while (Date.now() < deadline) {
      if (exited) {
        throw new Error(`bkg exited before it was ready:\n${await this.#stderr}`);
      }
      try {
        const res = await fetch(`${this.url}/health`);
        await res.body?.cancel();
        if (res.ok) return;
      } catch {
        // Not listening yet.
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    this.kill("SIGKILL");
    throw new Error(`bkg did not answer /health within ${timeoutMs} ms:\n${await this.#stderr}`);
  }

  kill(signal: Deno.Signal = "SIGTERM"): void {
    try {
      this.#child.kill(signal);
    } catch {
      // Already gone.
    }
  }

  /** Waits for the process to end and returns its status and output. */
  async finish(): Promise<{ code: number; signal: string | null; stdout: string; stderr: string }> {
    const status = await this.#child.status;
    return {
      code: status.code,
      signal: status.signal,
      stdout: await this.#stdout,
      stderr: await this.#stderr,
    };
  }
}

/** A fresh temporary directory, removed by the returned function. */
export async function tempDir(
  prefix = "bkg-test-",
): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await Deno.makeTempDir({ prefix });
  return { path, remove: () => Deno.remove(path, { recursive: true }).catch(() => {}) };
}
