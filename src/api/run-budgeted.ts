/**
 * Running a simulation or a replay within a request's work budget: every
 * cycle spends its formulas' work (the receipt's `work`) plus what the cycle
 * machinery itself costs (a base, and the histories it carries), and the
 * request lets other requests in between slices. Out of budget, the request
 * fails with 422 FORMULA_BUDGET saying how far it got.
 */

import type { Receipt } from "../cycle/index.ts";
import { Budget, DEFAULT_EVALUATION_BUDGET } from "../formula/index.ts";
import type { CompiledGoal } from "../spec/index.ts";
import { ApiError } from "./errors.ts";
import { yieldNow } from "./eval-budgeted.ts";
import { spendWork } from "./work-rate.ts";

/** The work units one simulate or replay request may spend, all its cycles together (about 200-300 ms, at 12-20 ns a unit). */
export const SIMULATION_BUDGET = 15_000_000;

/** The units of cycles run between two yields (see `cyclesWithin`). */
const CYCLE_STRETCH = DEFAULT_EVALUATION_BUDGET / 2;

/** What one cycle costs besides its formulas: its own machinery, per cycle. */
const CYCLE_BASE_UNITS = 2000;

/**
 * Runs `cycles` (a simulation's or replay's receipts, produced one by one)
 * within the budget, and counts what they spent against `tenant`'s share (the
 * route admitted the request and runs it in the tenant's turn, see work-rate.ts).
 */
export async function runBudgeted(
  tenant: string,
  goal: CompiledGoal,
  cycles: Iterable<Receipt>,
  what: "simulation" | "replay",
): Promise<Receipt[]> {
  const budget = new Budget(SIMULATION_BUDGET);
  try {
    return await cyclesWithin(budget, goal, cycles, what);
  } finally {
    spendWork(tenant, budget.spent);
  }
}

async function cyclesWithin(
  budget: Budget,
  goal: CompiledGoal,
  cycles: Iterable<Receipt>,
  what: "simulation" | "replay",
): Promise<Receipt[]> {
  // Each cycle copies the goal's histories: up to `keep` values per observed name.
  const perCycle = CYCLE_BASE_UNITS + goal.keep * goal.sources.length;
  const receipts: Receipt[] = [];
  // Checking and compiling the spec ran just before, unyielded (a few ms for a large one):
  // let other requests in before the first cycle adds its slice to that.
  await yieldNow();
  for (const receipt of cycles) {
    receipts.push(receipt);
    if (!budget.spend((receipt.work ?? 0) + perCycle)) {
      throw new ApiError(
        422,
        "FORMULA_BUDGET",
        `the ${what} ran out of its work budget of ${SIMULATION_BUDGET} units after ${receipts.length} cycles (cycle ${receipt.cycle})`,
        { budget: SIMULATION_BUDGET, cycles: receipts.length, last_cycle: receipt.cycle },
      );
    }
    // A unit of a cycle takes about twice a formula's time (its machinery: copying the state and
    // histories, building its vars and receipt, and their garbage), so a cycle's stretch is half
    // a slice of units, which is about a slice's time.
    if (budget.rest(CYCLE_STRETCH)) await yieldNow();
  }
  return receipts;
}
