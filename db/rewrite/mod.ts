/**
 * @module The rewriter's public face: view expansion and row-level security (which policies
 * apply, as security quals and WITH CHECK options for the binder to bind).
 */
export { expandView } from "./views.ts";
export {
  bypassesRls,
  checkOptions,
  policiesFor,
  type PolicyCheck,
  type PolicyCommand,
  policyCommandChar,
  policyExpr,
  rlsApplies,
  securityQuals,
} from "./policies.ts";
export { type RefVisitor, resolveRangeVar, walkPolicyRefs } from "./policy_refs.ts";
