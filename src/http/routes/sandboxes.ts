/**
 * @module `/api/v1/sandboxes`: the CAVE lifecycle over HTTP (create, list, get, start, exec,
 * stop, delete). Every route needs a token (or the superuser): a JWT's `namespace` claim names
 * the namespace its sandboxes live in, and it never sees or touches another's; service_role and
 * the superuser see all. `exec` answers JSON, or with `"stream": true` NDJSON lines as output
 * arrives, ending with the result.
 */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import {
  type Caller,
  CaveError,
  type ExecResult,
  KernelError,
  parseSize,
  type SandboxInfo,
  type SandboxLimits,
  type SandboxManager,
  seccompProfileNames,
} from "../../../kernel/mod.ts";
import { type AuthContext, requireToken } from "../auth.ts";
import { errorSchema, HttpError } from "../errors.ts";

/** What the sandbox routes need: the manager, or why there is none on this server. */
export interface SandboxRoutesContext {
  auth: AuthContext;
  /** Filled by the server once the manager is up; read at each request. */
  state: {
    manager?: SandboxManager;
    /** Why sandboxes are unavailable (the host lacks a capability), for the 503 message. */
    unavailable?: string;
  };
}

const size = z.union([z.number().int().positive(), z.string().min(1)]).openapi({
  description: "bytes, or a size with binary units such as 256M or 1G",
  example: "256M",
});

const limitsInput = z.object({
  cpus: z.number().positive().optional().openapi({ example: 0.5 }),
  memory: size.optional(),
  timeout_s: z.number().positive().optional().openapi({ example: 30 }),
  disk: size.optional(),
  pids: z.number().int().positive().optional(),
  open_files: z.number().int().positive().optional(),
}).openapi("SandboxLimitsInput");

const limitsOutput = z.object({
  cpus: z.number(),
  memory_bytes: z.number(),
  timeout_s: z.number(),
  disk_bytes: z.number(),
  pids: z.number(),
  open_files: z.number(),
}).openapi("SandboxLimits");

const sandboxSchema = z.object({
  id: z.string().openapi({ example: "sb-1a2b3c4d5e6f" }),
  namespace: z.string(),
  state: z.enum(["created", "running", "stopped"]),
  limits: limitsOutput,
  profile: z.string(),
  hostname: z.string(),
  uid: z.number().openapi({ description: "the unprivileged host uid the sandbox runs as" }),
  created_at: z.string(),
  started_at: z.string().nullable(),
  stopped_at: z.string().nullable(),
  stop_reason: z.string().nullable(),
}).openapi("Sandbox");

const createBody = z.object({
  namespace: z.string().optional().openapi({
    description: "only for service_role and the superuser; a token's namespace claim wins",
  }),
  limits: limitsInput.optional(),
  profile: z.enum(seccompProfileNames as [string, ...string[]]).optional(),
  hostname: z.string().optional(),
}).openapi("CreateSandbox");

const execBody = z.object({
  command: z.array(z.string()).min(1).openapi({ example: ["sh", "-c", "echo hello"] }),
  env: z.record(z.string(), z.string()).optional(),
  cwd: z.string().optional().openapi({ example: "/tmp" }),
  stdin: z.string().optional().openapi({ description: "UTF-8 text given to the command" }),
  stdin_base64: z.string().optional(),
  timeout_s: z.number().positive().optional(),
  output_bytes_max: z.number().int().min(0).optional(),
  stream: z.boolean().optional().openapi({ description: "answer NDJSON lines as output arrives" }),
}).openapi("ExecRequest");

const execResult = z.object({
  exit_code: z.number().openapi({ description: "124 after a timeout, 137 after an OOM kill" }),
  signal: z.string().nullable(),
  reason: z.enum(["exited", "signaled", "timeout", "oom"]),
  stdout: z.string(),
  stderr: z.string(),
  stdout_bytes: z.number(),
  stderr_bytes: z.number(),
  stdout_truncated: z.boolean(),
  stderr_truncated: z.boolean(),
  duration_ms: z.number(),
  cpu_ms: z.number(),
}).openapi("ExecResult");

const idParam = z.object({ id: z.string().openapi({ param: { name: "id", in: "path" } }) });
const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
const errors = {
  400: json(errorSchema, "Invalid request"),
  401: json(errorSchema, "No or bad credentials"),
  403: json(errorSchema, "The token names no namespace"),
  404: json(errorSchema, "No such sandbox in the caller's namespace"),
  409: json(errorSchema, "The sandbox is in the wrong state for this step"),
  500: json(errorSchema, "A kernel call failed"),
  503: json(errorSchema, "Sandboxes are unavailable on this host, or too many exist"),
};
const security: Record<string, string[]>[] = [{ bearerAuth: [] }, { basicAuth: [] }];
const base = "/api/v1/sandboxes";

const routes = {
  create: createRoute({
    method: "post",
    path: base,
    tags: ["sandboxes"],
    summary: "Create a sandbox (state created)",
    security,
    request: { body: { content: { "application/json": { schema: createBody } } } },
    responses: { 201: json(sandboxSchema, "The sandbox"), ...errors },
  }),
  list: createRoute({
    method: "get",
    path: base,
    tags: ["sandboxes"],
    summary: "The caller's sandboxes",
    security,
    responses: {
      200: json(z.object({ sandboxes: z.array(sandboxSchema) }), "Sandboxes"),
      ...errors,
    },
  }),
  get: createRoute({
    method: "get",
    path: `${base}/{id}`,
    tags: ["sandboxes"],
    summary: "One sandbox",
    security,
    request: { params: idParam },
    responses: { 200: json(sandboxSchema, "The sandbox"), ...errors },
  }),
  remove: createRoute({
    method: "delete",
    path: `${base}/{id}`,
    tags: ["sandboxes"],
    summary: "Stop and delete a sandbox and everything it wrote",
    security,
    request: { params: idParam },
    responses: { 204: { description: "Deleted" }, ...errors },
  }),
  start: createRoute({
    method: "post",
    path: `${base}/{id}/start`,
    tags: ["sandboxes"],
    summary: "Start a sandbox (idempotent; a stopped one starts again)",
    security,
    request: { params: idParam },
    responses: { 200: json(sandboxSchema, "The sandbox, running"), ...errors },
  }),
  stop: createRoute({
    method: "post",
    path: `${base}/{id}/stop`,
    tags: ["sandboxes"],
    summary: "Stop a sandbox, killing every process in it (idempotent)",
    security,
    request: { params: idParam },
    responses: { 200: json(sandboxSchema, "The sandbox, stopped"), ...errors },
  }),
  exec: createRoute({
    method: "post",
    path: `${base}/{id}/exec`,
    tags: ["sandboxes"],
    summary: "Run a command in a running sandbox",
    security,
    request: {
      params: idParam,
      body: { content: { "application/json": { schema: execBody } } },
    },
    responses: {
      200: {
        description: "How the command ended; with stream: true, NDJSON lines " +
          '({"stream":"stdout","data":"…"} …, then {"result":{…}})',
        content: {
          "application/json": { schema: execResult },
          "application/x-ndjson": { schema: z.string() },
        },
      },
      ...errors,
    },
  }),
};

/** The caller as the manager sees it: superuser and service_role see every namespace. */
async function callerOf(c: Context, auth: AuthContext): Promise<Caller> {
  const p = await requireToken(c, auth);
  if (p.kind === "superuser") return { actor: "postgres", namespace: null };
  if (p.kind !== "token") throw new HttpError(401, "unauthorized", "authentication required");
  const sub = typeof p.claims.sub === "string" ? p.claims.sub : undefined;
  const actor = sub ? `${p.role}:${sub}` : p.role;
  if (p.role === "service_role") return { actor, namespace: null };
  const ns = p.claims.namespace;
  if (typeof ns !== "string" || ns === "") {
    throw new HttpError(403, "forbidden", "the token has no namespace claim for sandboxes");
  }
  return { actor, namespace: ns };
}

/** Maps CAVE's errors to the HTTP error body (CONVENTIONS.md statuses). */
function httpError(err: unknown): unknown {
  if (err instanceof CaveError) {
    switch (err.code) {
      case "invalid":
        return new HttpError(400, "invalid_request", err.message);
      case "not_found":
        return new HttpError(404, "not_found", err.message);
      case "conflict":
        return new HttpError(409, "conflict", err.message);
      case "limit":
        return new HttpError(503, "insufficient_resources", err.message);
      case "unsupported":
        return new HttpError(503, "unavailable", err.message);
    }
  }
  if (err instanceof KernelError) return new HttpError(500, "kernel_error", err.message);
  return err;
}

function sizeOf(field: string, value: number | string | undefined): number | undefined {
  if (value === undefined || typeof value === "number") return value;
  const bytes = parseSize(value);
  if (bytes === undefined) {
    throw new HttpError(
      400,
      "invalid_request",
      `limits.${field}: not a size: ${JSON.stringify(value)}`,
    );
  }
  return bytes;
}

function limitsIn(l: z.infer<typeof limitsInput> | undefined): Partial<SandboxLimits> {
  if (l === undefined) return {};
  const out: Partial<SandboxLimits> = {
    cpus: l.cpus,
    memoryBytes: sizeOf("memory", l.memory),
    timeoutS: l.timeout_s,
    diskBytes: sizeOf("disk", l.disk),
    pids: l.pids,
    openFiles: l.open_files,
  };
  for (const k of Object.keys(out) as (keyof SandboxLimits)[]) {
    if (out[k] === undefined) delete out[k];
  }
  return out;
}

function sandboxOut(s: SandboxInfo): z.infer<typeof sandboxSchema> {
  return {
    id: s.id,
    namespace: s.namespace,
    state: s.state,
    limits: {
      cpus: s.limits.cpus,
      memory_bytes: s.limits.memoryBytes,
      timeout_s: s.limits.timeoutS,
      disk_bytes: s.limits.diskBytes,
      pids: s.limits.pids,
      open_files: s.limits.openFiles,
    },
    profile: s.profile,
    hostname: s.hostname,
    uid: s.uid,
    created_at: s.createdAt,
    started_at: s.startedAt,
    stopped_at: s.stoppedAt,
    stop_reason: s.stopReason,
  };
}

const utf8 = new TextDecoder();

function resultOut(r: ExecResult): z.infer<typeof execResult> {
  return {
    exit_code: r.exitCode,
    signal: r.signal,
    reason: r.reason,
    stdout: utf8.decode(r.stdout),
    stderr: utf8.decode(r.stderr),
    stdout_bytes: r.stdoutBytes,
    stderr_bytes: r.stderrBytes,
    stdout_truncated: r.stdoutTruncated,
    stderr_truncated: r.stderrTruncated,
    duration_ms: r.durationMs,
    cpu_ms: r.cpuMs,
  };
}

function stdinOf(body: z.infer<typeof execBody>): Uint8Array | undefined {
  if (body.stdin !== undefined && body.stdin_base64 !== undefined) {
    throw new HttpError(400, "invalid_request", "give stdin or stdin_base64, not both");
  }
  if (body.stdin !== undefined) return new TextEncoder().encode(body.stdin);
  if (body.stdin_base64 === undefined) return undefined;
  try {
    return Uint8Array.from(atob(body.stdin_base64), (ch) => ch.charCodeAt(0));
  } catch {
    throw new HttpError(400, "invalid_request", "stdin_base64 is not base64");
  }
}

/** Adds the sandbox routes. */
export function addSandboxRoutes(app: OpenAPIHono, ctx: SandboxRoutesContext): void {
  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "basicAuth", {
    type: "http",
    scheme: "basic",
  });
  const manager = (): SandboxManager => {
    const { manager: m, unavailable } = ctx.state;
    if (m === undefined) {
      const why = unavailable ? `: ${unavailable}` : "";
      throw new HttpError(503, "unavailable", `sandboxes are not available on this server${why}`);
    }
    return m;
  };
  const guard = async <T>(f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (err) {
      throw httpError(err);
    }
  };

  app.openapi(routes.create, async (c) => {
    const who = await callerOf(c, ctx.auth);
    const body = c.req.valid("json");
    const info = await guard(() =>
      manager().create(who, {
        namespace: body.namespace,
        limits: limitsIn(body.limits),
        profile: body.profile,
        hostname: body.hostname,
      })
    );
    return c.json(sandboxOut(info), 201);
  });
  app.openapi(routes.list, async (c) => {
    const who = await callerOf(c, ctx.auth);
    const list = await guard(() => Promise.resolve(manager().list(who)));
    return c.json({ sandboxes: list.map(sandboxOut) }, 200);
  });
  app.openapi(routes.get, async (c) => {
    const who = await callerOf(c, ctx.auth);
    const { id } = c.req.valid("param");
    return c.json(sandboxOut(await guard(() => Promise.resolve(manager().get(who, id)))), 200);
  });
  app.openapi(routes.remove, async (c) => {
    const who = await callerOf(c, ctx.auth);
    const { id } = c.req.valid("param");
    await guard(() => manager().delete(who, id));
    return c.body(null, 204);
  });
  app.openapi(routes.start, async (c) => {
    const who = await callerOf(c, ctx.auth);
    const { id } = c.req.valid("param");
    return c.json(sandboxOut(await guard(() => manager().start(who, id))), 200);
  });
  app.openapi(routes.stop, async (c) => {
    const who = await callerOf(c, ctx.auth);
    const { id } = c.req.valid("param");
    return c.json(sandboxOut(await guard(() => manager().stop(who, id))), 200);
  });
  app.openapi(routes.exec, async (c) => {
    const who = await callerOf(c, ctx.auth);
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const req = {
      argv: body.command,
      env: body.env,
      cwd: body.cwd,
      stdin: stdinOf(body),
      timeoutS: body.timeout_s,
      outputBytesMax: body.output_bytes_max,
    };
    const m = manager();
    if (!body.stream) {
      return c.json(resultOut(await guard(() => m.exec(who, id, req))), 200);
    }
    // Refusals (not found, not running, bad request) still answer with a JSON error status.
    const info = await guard(() => Promise.resolve(m.get(who, id)));
    if (info.state !== "running") {
      throw new HttpError(409, "conflict", `sandbox "${id}" is not running (state: ${info.state})`);
    }
    const enc = new TextEncoder();
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        const line = (obj: unknown) => controller.enqueue(enc.encode(`${JSON.stringify(obj)}\n`));
        m.exec(who, id, req, (s, chunk) => line({ stream: s, data: utf8.decode(chunk) }))
          .then((r) => {
            const { stdout: _o, stderr: _e, ...rest } = resultOut(r);
            line({ result: rest });
          })
          .catch((err) => {
            const e = httpError(err);
            line({ error: { message: e instanceof Error ? e.message : String(e) } });
          })
          .finally(() => controller.close());
      },
    });
    return new Response(stream, {
      status: 200,
      headers: { "content-type": "application/x-ndjson; charset=utf-8" },
    }) as never;
  });
}
