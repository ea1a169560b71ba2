/**
 * Per-tenant quotas, set by vars in wrangler.toml: how many goals, live
 * formulas and records a tenant may hold, and how many history values one
 * goal may keep (`keep` × observed names). Over a quota is a 403
 * QUOTA_EXCEEDED naming the quota, its limit and the current use.
 *
 * Checked by counting before the write, so concurrent creations can overshoot
 * by at most the number running at once.
 */
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { countLive } from "../db/formulas.ts";
import { goals, records } from "../db/schema.ts";
import type { GoalSpec } from "../loop/index.ts";
import { ApiError } from "./errors.ts";

export type QuotaName = "goals" | "formulas" | "records" | "history_values";

const DEFAULTS: Record<QuotaName, number> = {
  goals: 1000,
  formulas: 1000,
  records: 100_000,
  history_values: 10_000,
};

const VARS: Record<QuotaName, keyof Env> = {
  goals: "QUOTA_GOALS",
  formulas: "QUOTA_FORMULAS",
  records: "QUOTA_RECORDS",
  history_values: "QUOTA_HISTORY_VALUES",
};

/** The limit of one quota: its var when it is a positive integer, else the default. */
export function quotaLimit(env: Env, name: QuotaName): number {
  const raw = Number(env[VARS[name]]);
  return Number.isInteger(raw) && raw > 0 ? raw : DEFAULTS[name];
}

function exceeded(name: QuotaName, limit: number, used: number): ApiError {
  return new ApiError(403, "QUOTA_EXCEEDED", `the tenant's ${name} quota (${limit}) is used up`, {
    quota: name,
    limit,
    used,
  });
}

async function count(db: Db, table: typeof goals | typeof records, tenant: string) {
  const row = await db
    .select({ n: sql<number>`count(*)` })
    .from(table)
    .where(eq(table.tenant, tenant))
    .get();
  return row?.n ?? 0;
}

/** Throws when the tenant may not add one more goal / formula / record. */
export async function assertRoomFor(
  env: Env,
  db: Db,
  tenant: string,
  name: "goals" | "formulas" | "records",
): Promise<void> {
  const limit = quotaLimit(env, name);
  const used =
    name === "formulas"
      ? await countLive(db, tenant)
      : await count(db, name === "goals" ? goals : records, tenant);
  if (used >= limit) throw exceeded(name, limit, used);
}

/** Whether a record exists already (overwriting one takes no new room). */
export async function recordExists(
  db: Db,
  tenant: string,
  collection: string,
  key: string,
): Promise<boolean> {
  const row = await db
    .select({ key: records.key })
    .from(records)
    .where(
      and(eq(records.tenant, tenant), eq(records.collection, collection), eq(records.key, key)),
    )
    .get();
  return row !== undefined;
}

/** Throws when a spec would keep more history values than the tenant's quota. */
export function assertHistoryFits(env: Env, spec: GoalSpec): void {
  const limit = quotaLimit(env, "history_values");
  const used =
    spec.keep * Math.max(1, Object.keys(spec.observe).length + Object.keys(spec.act).length);
  if (used > limit) throw exceeded("history_values", limit, used);
}
