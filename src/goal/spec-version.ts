/**
 * A new spec version for a registered goal: the D1 registry and the goal's
 * Durable Object end on the same version whatever order concurrent changes
 * reach them in.
 */

import type { Db } from "../db/client.ts";
import { getGoal, updateGoalSpec } from "../db/goals.ts";
import type { GoalRow } from "../db/schema.ts";
import { NotFound, VersionConflict } from "../errors.ts";
import { assertHistoryFits, startGoal, validSpec } from "./lifecycle.ts";
import { goalStub } from "./stub.ts";
import { subscriptionsOf } from "./subscriptions.ts";
import type { GoalView } from "./view.ts";

/** How often a change without If-Match tries again after another change won the race. */
const SPEC_WRITE_TRIES = 16;

const versionConflict = (message: string, current: number) =>
  new VersionConflict(message, { details: { current } });

/**
 * A new spec version for a goal; its loop state is kept where names survive.
 * The registry takes it only over the version read (a compare-and-swap):
 * with `expected` (If-Match) any other version is a 409; without it, a lost
 * race reads the new version and tries again, so concurrent changes each get
 * a version of their own and the last one stored wins. The goal's object
 * ignores a version older than its own, whatever order the changes reach it
 * in. Returns the row as this change stored it.
 */
export async function replaceSpec(
  env: Env,
  db: Db,
  row: GoalRow,
  input: unknown,
  expected?: number,
): Promise<{ row: GoalRow; view: GoalView }> {
  const spec = await validSpec(env, db, row.tenant, input);
  assertHistoryFits(env, spec);
  let current: GoalRow | undefined = row;
  for (let tries = 0; current; tries++) {
    const version = current.specVersion;
    if (expected !== undefined && version !== expected)
      throw versionConflict(`expected version ${expected}, current is ${version}`, version);
    if (tries === SPEC_WRITE_TRIES)
      throw versionConflict("other changes to this goal kept landing first; retry", version);
    const next: GoalRow = {
      ...current,
      spec: spec as unknown as Record<string, unknown>,
      specVersion: version + 1,
      name: spec.name,
      updatedAt: Date.now(),
    };
    if (await updateGoalSpec(db, next, version, subscriptionsOf(spec))) {
      const view =
        (await goalStub(env, row.id).update(row.tenant, spec, next.specVersion)) ??
        (next.status === "active" ? await startGoal(env, db, next) : null);
      if (!view) throw new NotFound(`no goal ${row.id}`);
      return { row: next, view };
    }
    current = await getGoal(db, row.tenant, row.id);
  }
  throw new NotFound(`no goal ${row.id}`);
}
