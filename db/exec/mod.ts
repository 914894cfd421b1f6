/**
 * @module The executor's public face: per-run state (Env), running query plans and modify
 * plans, expression compilation.
 */
export { Env, type Iter, type NodeStats, type Row } from "./env.ts";
export { runPlan } from "./run.ts";
export { type ModifyResult, runModify } from "./modify.ts";
export { compile } from "./expr.ts";
