/**
 * @module The rewriter's public face: view expansion (and, later, row-level security).
 */
export { expandView } from "./views.ts";
