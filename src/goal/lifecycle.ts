/**
 * Creating, changing and deleting goals: the D1 registry and the goal's
 * Durable Object kept in step. Used by the goals API and by `spawn` actions.
 */

import { allowPrivateTargets } from "../actions/targets.ts";
import { ApiError } from "../api/errors.ts";
import { assertHistoryFits, assertRoomFor } from "../api/quotas.ts";
import { hex } from "../auth/keys.ts";
import { deleteGoalApprovals } from "../db/approvals.ts";
import type { Db } from "../db/client.ts";
import { deleteGoal, getGoal, insertGoal, updateGoalSpec } from "../db/goals.ts";
import { getRecord } from "../db/records.ts";
import type { GoalRow, GoalSecretsRow } from "../db/schema.ts";
import { createSecrets, deleteSecrets } from "../db/secrets.ts";
import type { GoalSpec, Observation, SpecIssue } from "../loop/index.ts";
import { compileGoal } from "./compile.ts";
import { subscriptionsOf } from "./external.ts";
import { readPath } from "./json-path.ts";
import { targetIssues } from "./spec-targets.ts";
import type { SpawnedBy } from "./store.ts";
import { goalStub } from "./stub.ts";
import type { GoalView } from "./view.ts";

/** A fresh goal id, or a deterministic one for a spawn (so a repeated spawn creates nothing new). */
export async function goalId(seed?: string): Promise<string> {
  if (seed === undefined) return `g_${hex(crypto.getRandomValues(new Uint8Array(10)))}`;
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(seed));
  return `g_${hex(new Uint8Array(digest).slice(0, 10))}`;
}

/** A 422 naming every invalid field of a spec. */
export function invalidSpec(issues: SpecIssue[]): ApiError {
  const first = issues[0];
  return new ApiError(
    422,
    "GOAL_INVALID",
    first ? `${first.path}: ${first.message}` : "invalid goal spec",
    { issues },
  );
}

/**
 * Validates a spec for a tenant at registration; throws the 422 with every
 * issue, targets the URLs show to be refused included (so that check follows
 * ALLOW_PRIVATE_TARGETS as it is now, not when a stored spec is recompiled).
 */
export async function validSpec(
  env: Env,
  db: Db,
  tenant: string,
  input: unknown,
): Promise<GoalSpec> {
  const validation = await compileGoal(db, tenant, input);
  const refused = targetIssues(input, { allowPrivate: allowPrivateTargets(env) });
  if (!validation.ok || refused.length > 0)
    throw invalidSpec([...(validation.ok ? [] : validation.issues), ...refused]);
  return validation.goal.spec;
}

/** Current record values for a spec's record sources, so the first cycle has them. */
async function primeRecords(
  db: Db,
  tenant: string,
  spec: GoalSpec,
  now: number,
): Promise<Observation[]> {
  const out: Observation[] = [];
  for (const [name, source] of Object.entries(spec.observe)) {
    if (source.from !== "record" || source.key === undefined) continue;
    const row = await getRecord(db, tenant, source.collection, source.key);
    if (!row) continue;
    const value = readPath(row.value, source.path);
    if (value !== undefined) {
      out.push({
        name,
        value,
        at: row.updatedAt,
        source: "record",
        id: `record:${source.collection}/${source.key}@${row.version}`,
      });
    }
  }
  return out.map((o) => ({ ...o, at: Math.min(o.at, now) }));
}

/** Registers a goal and starts its loop. */
export async function createGoal(
  env: Env,
  db: Db,
  tenant: string,
  input: unknown,
  options: { id?: string; parent?: SpawnedBy } = {},
): Promise<{ row: GoalRow; view: GoalView; created: boolean; secrets?: GoalSecretsRow }> {
  const spec = await validSpec(env, db, tenant, input);
  assertHistoryFits(env, spec);
  const id = options.id ?? (await goalId());
  const existing = await getGoal(db, tenant, id);
  if (existing) {
    const view = await goalStub(env, id).view(tenant);
    if (view) return { row: existing, view, created: false };
  } else {
    await assertRoomFor(env, db, tenant, "goals");
  }
  const now = Date.now();
  const row: GoalRow = {
    id,
    tenant,
    name: spec.name,
    spec: spec as unknown as Record<string, unknown>,
    specVersion: 1,
    status: "active",
    parentId: options.parent?.goalId ?? null,
    createdAt: now,
    updatedAt: now,
  };
  if (!existing) await insertGoal(db, row, subscriptionsOf(spec));
  const secrets = await createSecrets(db, tenant, id, now);
  const initial = await primeRecords(db, tenant, spec, now);
  const view = await goalStub(env, id).start(
    { id, tenant, spec, parent: options.parent ?? null, createdAt: now },
    initial,
  );
  return { row, view, created: true, secrets };
}

/** A new spec version for a goal; its loop state is kept where names survive. */
export async function replaceSpec(
  env: Env,
  db: Db,
  row: GoalRow,
  input: unknown,
): Promise<GoalView> {
  const spec = await validSpec(env, db, row.tenant, input);
  assertHistoryFits(env, spec);
  const specVersion = row.specVersion + 1;
  await updateGoalSpec(
    db,
    {
      tenant: row.tenant,
      id: row.id,
      spec: spec as unknown as Record<string, unknown>,
      specVersion,
      name: spec.name,
      updatedAt: Date.now(),
    },
    subscriptionsOf(spec),
  );
  const view = await goalStub(env, row.id).update(row.tenant, spec, specVersion);
  if (!view) throw new ApiError(404, "NOT_FOUND", `no goal ${row.id}`);
  return view;
}

/** Stops the loop, clears the goal's storage and removes it from the registry. */
export async function removeGoal(env: Env, db: Db, row: GoalRow): Promise<void> {
  await goalStub(env, row.id).destroy(row.tenant);
  await deleteGoal(db, row.tenant, row.id);
  await deleteSecrets(db, row.tenant, row.id);
  await deleteGoalApprovals(db, row.tenant, row.id);
}
