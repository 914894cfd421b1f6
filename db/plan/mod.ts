/**
 * @module The planner's public face: plan node and bound-expression types, the planner
 * (`planQuery`: rules, then estimates) and EXPLAIN's text output.
 */
export * from "./nodes.ts";
export * from "./modify_nodes.ts";
export { type IndexChoice, planQuery, setPlannerStats } from "./planner.ts";
export {
  type ColumnStats,
  columnStats,
  equalSelectivity,
  lessSelectivity,
  statsFor,
  type TableStats,
} from "./stats.ts";
export { deparse, explainLines, type ExplainOptions } from "./explain.ts";
