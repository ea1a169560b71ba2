/**
 * Validates a goal spec against the tenant's registered formulas (for
 * `fn.NAME` calls and `formula` actions): `validateWithFormulas` at
 * registration, simulation and replay, `compileStoredSpec` whenever a goal's
 * Durable Object wakes and needs its compiled form again.
 */
import type { Db } from "../db/client.ts";
import { formulaResolver } from "../registry/formulas.ts";
import {
  type CompiledGoal,
  type GoalValidation,
  specReferences,
  validateGoalSpec,
} from "../spec/index.ts";

/**
 * Validates `spec` with a resolver over the registered formulas it refers to
 * (`specReferences`: its `fn.NAME` calls and `formula` actions, loaded first).
 */
export async function validateWithFormulas(
  db: Db,
  tenant: string,
  spec: unknown,
): Promise<GoalValidation> {
  const resolver = await formulaResolver(db, tenant, specReferences(spec));
  return validateGoalSpec(spec, { formulas: resolver });
}

/** The compiled form of a spec that was valid when stored; throws (a cycle fault) if no longer. */
export async function compileStoredSpec(
  db: Db,
  tenant: string,
  spec: unknown,
): Promise<CompiledGoal> {
  const validation = await validateWithFormulas(db, tenant, spec);
  if (!validation.ok)
    throw new Error(`stored spec no longer compiles: ${validation.issues[0]?.message}`);
  return validation.goal;
}
