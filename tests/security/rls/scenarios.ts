/**
 * @module The whole table of RLS conformance scenarios, in a fixed order: a scenario's position
 * names its schema (`rls_001` …), so a filtered run uses the same names as a full one.
 */
import { leakScenarios } from "./scenarios_leaks.ts";
import { lifecycleScenarios } from "./scenarios_lifecycle.ts";
import { policyScenarios } from "./scenarios_policies.ts";
import { queryScenarios } from "./scenarios_queries.ts";
import { roleScenarios } from "./scenarios_roles.ts";
import { supabaseScenarios } from "./scenarios_supabase.ts";
import { writeScenarios } from "./scenarios_writes.ts";
import type { Scenario } from "./scenario.ts";

/** Every scenario with its schema name. */
export function allScenarios(): { scenario: Scenario; schema: string }[] {
  const list = [
    ...policyScenarios(),
    ...roleScenarios(),
    ...queryScenarios(),
    ...writeScenarios(),
    ...supabaseScenarios(),
    ...leakScenarios(),
    ...lifecycleScenarios(),
  ];
  return list.map((scenario, i) => ({
    scenario,
    schema: `rls_${String(i + 1).padStart(3, "0")}`,
  }));
}
