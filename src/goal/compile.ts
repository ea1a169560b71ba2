/**
 * Validates a goal spec against the tenant's registered formulas (for
 * `fn.NAME` calls and `formula` actions). Used at registration and whenever a
 * goal's Durable Object wakes and needs its compiled form again.
 */
import type { Db } from "../db/client.ts";
import { type CompiledGoal, type GoalValidation, validateGoalSpec } from "../loop/index.ts";
import { formulaResolver } from "../registry/formulas.ts";

/** Formula names a spec's `formula` actions call (spawned specs included). */
function formulaActions(spec: unknown): string[] {
  const names: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === "object") {
      const formula = (value as { formula?: unknown }).formula;
      if (
        formula !== null &&
        typeof formula === "object" &&
        typeof (formula as { name?: unknown }).name === "string"
      ) {
        names.push((formula as { name: string }).name);
      }
      Object.values(value).forEach(visit);
    }
  };
  visit(spec);
  return names;
}

export async function compileGoal(db: Db, tenant: string, spec: unknown): Promise<GoalValidation> {
  const resolver = await formulaResolver(db, tenant, JSON.stringify(spec), formulaActions(spec));
  return validateGoalSpec(spec, { formulas: resolver });
}

/** The compiled form of a spec that was valid when stored; throws (a cycle fault) if no longer. */
export async function compileStored(db: Db, tenant: string, spec: unknown): Promise<CompiledGoal> {
  const validation = await compileGoal(db, tenant, spec);
  if (!validation.ok)
    throw new Error(`stored spec no longer compiles: ${validation.issues[0]?.message}`);
  return validation.goal;
}
