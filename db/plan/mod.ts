/**
 * @module The planner's public face: plan node and bound-expression types, the planner
 * (`planQuery`: rules, then estimates) and EXPLAIN's text output.
 */
export * from "./nodes.ts";
export * from "./modify_nodes.ts";
export { type IndexChoice, planQuery } from "./planner.ts";
export { deparse, explainLines, type ExplainOptions } from "./explain.ts";
