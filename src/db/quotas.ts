/**
 * Per-tenant quotas, set by vars in wrangler.toml: how many goals, live
 * formulas, records and live API keys a tenant may hold, and how many history
 * values one goal may keep (`keep` × (observed names + actions)). Over a
 * quota is QUOTA_EXCEEDED (a 403) naming the quota, its limit and the current use.
 *
 * The counted quotas are enforced where the row is written, in the same SQL
 * statement as the write (`within-quota.ts`), so a burst of concurrent
 * creations ends with exactly the limit. This module gives the limits, the
 * counts and the error.
 */
import { QuotaExceeded } from "../errors.ts";
import type { Db } from "./client.ts";
import { countLive } from "./formulas.ts";
import { countGoals } from "./goals.ts";
import { countLiveKeys } from "./keys.ts";
import { countRecords } from "./records.ts";

/** The quotas counted in rows of the tenant. */
export type CountedQuota = "goals" | "formulas" | "records" | "keys";

export type QuotaName = CountedQuota | "history_values";

const DEFAULTS: Record<QuotaName, number> = {
  goals: 1000,
  formulas: 1000,
  records: 100_000,
  keys: 100,
  history_values: 10_000,
};

const VARS: Record<QuotaName, keyof Env> = {
  goals: "QUOTA_GOALS",
  formulas: "QUOTA_FORMULAS",
  records: "QUOTA_RECORDS",
  keys: "QUOTA_KEYS",
  history_values: "QUOTA_HISTORY_VALUES",
};

const COUNTS: Record<CountedQuota, (db: Db, tenant: string) => Promise<number>> = {
  goals: countGoals,
  formulas: countLive,
  records: countRecords,
  keys: countLiveKeys,
};

/** The limit of one quota: its var when it is a positive integer, else the default. */
export function quotaLimit(env: Env, name: QuotaName): number {
  const raw = Number(env[VARS[name]]);
  return Number.isInteger(raw) && raw > 0 ? raw : DEFAULTS[name];
}

/** The refusal of something over the `name` quota. */
export function overQuota(name: QuotaName, limit: number, used: number): QuotaExceeded {
  return new QuotaExceeded(`the tenant's ${name} quota (${limit}) is used up`, {
    details: { quota: name, limit, used },
  });
}

/** The refusal of a creation the quota refused, with the tenant's use as it is now. */
export async function quotaExceeded(
  db: Db,
  tenant: string,
  name: CountedQuota,
  limit: number,
): Promise<QuotaExceeded> {
  return overQuota(name, limit, await COUNTS[name](db, tenant));
}
