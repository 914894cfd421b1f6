/**
 * @module The audit log: an append-only file of JSON lines (`<data>/audit/audit.jsonl`), each
 * carrying `prev`, the SHA-256 of the line before it (64 zeros for the first), and `sig`, an
 * Ed25519 signature over the line without its `sig`. The private key is `audit-key.pem` (PKCS#8,
 * 0600) beside the log and the public key `audit-key.pub` (SPKI). Appends take an flock on the
 * log, so a server and a direct `bkg sandbox run` on the same data directory extend one chain.
 * {@link verifyAuditFile} checks chain and signatures and names the first bad line.
 */

const zeroHash = "0".repeat(64);
const sigSuffix = /,"sig":"([A-Za-z0-9+/=]+)"\}$/;

/** One audit event; `prev`, `seq`, `time` and `sig` are added by the log. */
export interface AuditEvent {
  event: string;
  actor: string;
  [field: string]: unknown;
}

async function sha256Hex(text: string): Promise<string> {
  const d = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function pem(label: string, der: ArrayBuffer): string {
  const b64 = btoa(String.fromCharCode(...new Uint8Array(der)));
  return `-----BEGIN ${label}-----\n${b64.match(/.{1,64}/g)!.join("\n")}\n-----END ${label}-----\n`;
}

function unpem(text: string): Uint8Array<ArrayBuffer> {
  const b64 = text.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "");
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

/** Reads an Ed25519 public key (SPKI PEM). */
export async function importPublicKey(text: string): Promise<CryptoKey> {
  return await crypto.subtle.importKey("spki", unpem(text), { name: "Ed25519" }, true, ["verify"]);
}

/** The last line of a file (without its newline), or "" for an empty file. */
async function lastLine(path: string): Promise<string> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch {
    return "";
  }
  try {
    const size = (await file.stat()).size;
    let span = 4096;
    while (true) {
      const from = Math.max(0, size - span);
      await file.seek(from, Deno.SeekMode.Start);
      const buf = new Uint8Array(size - from);
      let at = 0;
      while (at < buf.length) {
        const n = await file.read(buf.subarray(at));
        if (n === null) break;
        at += n;
      }
      const text = new TextDecoder().decode(buf.subarray(0, at)).replace(/\n$/, "");
      const nl = text.lastIndexOf("\n");
      if (nl >= 0 || from === 0) return text.slice(nl + 1);
      span *= 4;
    }
  } finally {
    file.close();
  }
}

/** An open audit log. */
export class AuditLog {
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly path: string,
    readonly publicKeyPath: string,
    readonly fsync: boolean,
    readonly key: CryptoKey,
  ) {}

  /**
   * Opens (or creates) `<dir>/audit.jsonl` with its key pair.
   *
   * @example
   * const audit = await AuditLog.open("./data/audit");
   * await audit.append({ event: "create", actor: "postgres", sandbox: "sb-1" });
   */
  static async open(dir: string, opts: { fsync?: boolean } = {}): Promise<AuditLog> {
    await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
    const keyPath = `${dir}/audit-key.pem`;
    const pubPath = `${dir}/audit-key.pub`;
    const lock = await Deno.open(`${dir}/audit.lock`, {
      read: true,
      write: true,
      create: true,
      mode: 0o600,
    });
    await lock.lock(true);
    try {
      let keyText: string | undefined;
      try {
        keyText = await Deno.readTextFile(keyPath);
      } catch (err) {
        if (!(err instanceof Deno.errors.NotFound)) throw err;
      }
      if (keyText === undefined) {
        const pair = await crypto.subtle.generateKey({ name: "Ed25519" }, true, [
          "sign",
          "verify",
        ]) as CryptoKeyPair;
        const priv = pem("PRIVATE KEY", await crypto.subtle.exportKey("pkcs8", pair.privateKey));
        const pub = pem("PUBLIC KEY", await crypto.subtle.exportKey("spki", pair.publicKey));
        await Deno.writeTextFile(`${keyPath}.tmp`, priv, { mode: 0o600 });
        await Deno.rename(`${keyPath}.tmp`, keyPath);
        await Deno.writeTextFile(pubPath, pub, { mode: 0o644 });
        keyText = priv;
      }
      await Deno.chmod(keyPath, 0o600);
      const key = await crypto.subtle.importKey(
        "pkcs8",
        unpem(keyText),
        { name: "Ed25519" },
        false,
        ["sign"],
      );
      return new AuditLog(`${dir}/audit.jsonl`, pubPath, opts.fsync ?? true, key);
    } finally {
      lock.close();
    }
  }

  /** Appends one event; appends are serialized here and across processes (flock). */
  append(event: AuditEvent): Promise<void> {
    const next = this.#queue.then(() => this.#append(event));
    this.#queue = next.catch(() => {});
    return next;
  }

  async #append(event: AuditEvent): Promise<void> {
    const file = await Deno.open(this.path, { append: true, create: true, mode: 0o600 });
    try {
      await file.lock(true);
      const last = await lastLine(this.path);
      let seq = 1;
      let prev = zeroHash;
      if (last !== "") {
        prev = await sha256Hex(last);
        try {
          seq = Number((JSON.parse(last) as { seq?: number }).seq ?? 0) + 1;
        } catch {
          seq = 0; // The last line is damaged; verify will name it, the chain goes on.
        }
      }
      const body = JSON.stringify({ seq, time: new Date().toISOString(), ...event, prev });
      const sig = new Uint8Array(
        await crypto.subtle.sign("Ed25519", this.key, new TextEncoder().encode(body)),
      );
      const line = `${body.slice(0, -1)},"sig":"${btoa(String.fromCharCode(...sig))}"}\n`;
      await file.write(new TextEncoder().encode(line));
      if (this.fsync) await file.syncData();
    } finally {
      file.close();
    }
  }
}

/** The outcome of {@link verifyAuditFile}. */
export type AuditVerdict =
  | { ok: true; lines: number }
  | { ok: false; line: number; reason: string };

/**
 * Checks every line of an audit file: well-formed JSON, `prev` equal to the SHA-256 of the line
 * before, and a valid signature under `publicKey`.
 *
 * @example
 * const verdict = await verifyAuditFile("data/audit/audit.jsonl", await importPublicKey(pub));
 */
export async function verifyAuditFile(path: string, publicKey: CryptoKey): Promise<AuditVerdict> {
  const text = await Deno.readTextFile(path);
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  else if (lines.length > 0) {
    return { ok: false, line: lines.length, reason: "the last line is torn (no newline)" };
  }
  let prev = zeroHash;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const n = i + 1;
    const m = sigSuffix.exec(line);
    if (!m) return { ok: false, line: n, reason: "no signature" };
    const body = `${line.slice(0, m.index)}}`;
    let parsed: { prev?: unknown; seq?: unknown };
    try {
      parsed = JSON.parse(body);
    } catch {
      return { ok: false, line: n, reason: "not valid JSON" };
    }
    if (parsed.prev !== prev) {
      return {
        ok: false,
        line: n,
        reason: "hash chain broken (prev does not match the line before)",
      };
    }
    let sig: Uint8Array<ArrayBuffer>;
    try {
      sig = Uint8Array.from(atob(m[1]!), (c) => c.charCodeAt(0));
    } catch {
      return { ok: false, line: n, reason: "signature is not base64" };
    }
    const good = await crypto.subtle.verify(
      "Ed25519",
      publicKey,
      sig,
      new TextEncoder().encode(body),
    );
    if (!good) return { ok: false, line: n, reason: "bad signature" };
    prev = await sha256Hex(line);
  }
  return { ok: true, lines: lines.length };
}
