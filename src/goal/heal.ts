/**
 * The cron's self-healing pass: every active goal must have an alarm armed.
 * One whose alarm is missing (lost, or dropped after repeated throws) is
 * re-armed and reported.
 */

import { database } from "../db/client.ts";
import { activeGoals } from "../db/goals.ts";
import { log } from "../observability/log.ts";
import { goalStub } from "./stub.ts";

export async function healGoals(env: Env): Promise<{ checked: number; rearmed: string[] }> {
  const db = database(env.DB);
  const rearmed: string[] = [];
  let checked = 0;
  let after = "";
  for (;;) {
    const page = await activeGoals(db, after, 200);
    if (page.length === 0) break;
    const outcomes = await Promise.all(
      page.map(async (g) => [g, await goalStub(env, g.id).ensureAlarm()] as const),
    );
    for (const [g, outcome] of outcomes) {
      if (outcome === "rearmed") {
        rearmed.push(g.id);
        log("warn", "alarm_rearmed", { goal: g.id, tenant: g.tenant });
      }
    }
    checked += page.length;
    after = page.at(-1)?.id ?? after;
  }
  log("info", "heal", { checked, rearmed: rearmed.length });
  return { checked, rearmed };
}
