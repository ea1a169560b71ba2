/**
 * The cron's self-healing pass over every active goal in the registry:
 *
 * - one whose alarm is missing (lost, or dropped after repeated throws) is
 *   re-armed;
 * - one whose object holds no goal is finished from its row: started, when a
 *   crash stopped its creation between the row and the object; removed, when
 *   a crash stopped its deletion between the object and the row.
 *
 * Each repair is logged and reported.
 */

import { type Db, database } from "../db/client.ts";
import { activeGoals, getGoal } from "../db/goals.ts";
import { describeError, log } from "../observability/log.ts";
import { removeGoal, startGoal } from "./lifecycle.ts";
import { goalStub } from "./stub.ts";

export interface Healed {
  checked: number;
  rearmed: string[];
  /** Registered goals whose object was never started, now started. */
  started: string[];
  /** Rows a deletion left behind, now removed. */
  removed: string[];
}

/** Finishes a goal whose object holds nothing; which way it went, if it still existed. */
async function finish(
  env: Env,
  db: Db,
  goal: { id: string; tenant: string },
): Promise<"started" | "removed" | undefined> {
  const row = await getGoal(db, goal.tenant, goal.id);
  if (!row) return undefined; // deleted meanwhile
  if (await startGoal(env, db, row)) return "started";
  await removeGoal(env, db, row);
  return "removed";
}

export async function healGoals(env: Env): Promise<Healed> {
  const db = database(env);
  const healed: Healed = { checked: 0, rearmed: [], started: [], removed: [] };
  let after = "";
  for (;;) {
    const page = await activeGoals(db, after, 200);
    if (page.length === 0) break;
    await Promise.all(
      page.map(async (g) => {
        const fields = { goal: g.id, tenant: g.tenant };
        try {
          const outcome = await goalStub(env, g.id).ensureAlarm();
          if (outcome === "rearmed") {
            healed.rearmed.push(g.id);
            log("warn", "alarm_rearmed", fields);
          } else if (outcome === "missing") {
            const finished = await finish(env, db, g);
            if (finished) {
              healed[finished].push(g.id);
              log("warn", finished === "started" ? "goal_started" : "goal_removed", fields);
            }
          }
        } catch (error) {
          log("error", "heal_fault", { ...fields, ...describeError(error) });
        }
      }),
    );
    healed.checked += page.length;
    after = page.at(-1)?.id ?? after;
  }
  log("info", "heal", {
    checked: healed.checked,
    rearmed: healed.rearmed.length,
    started: healed.started.length,
    removed: healed.removed.length,
  });
  return healed;
}
