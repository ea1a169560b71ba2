/**
 * Creating and deleting goals: the D1 registry and the goal's Durable Object
 * kept in step. Used by the goals API and by `spawn` actions. (A new spec
 * version is in spec-version.ts.)
 */

import { hex } from "../auth/keys.ts";
import type { Observation } from "../cycle/index.ts";
import { deleteGoalApprovals } from "../db/approvals.ts";
import type { Db } from "../db/client.ts";
import { deleteGoal, getGoal, insertGoal } from "../db/goals.ts";
import { IDEMPOTENCY_TTL_MS } from "../db/idempotency.ts";
import { overQuota, quotaExceeded, quotaLimit } from "../db/quotas.ts";
import { getRecord } from "../db/records.ts";
import type { GoalRow, GoalSecretsRow } from "../db/schema.ts";
import { createSecrets, deleteSecrets, secretsOf } from "../db/secrets.ts";
import { GoalInvalid, IdempotencyKeyReused } from "../errors.ts";
import { allowPrivateTargets } from "../outbound/index.ts";
import type { GoalEvent } from "../queues.ts";
import type { GoalSpec, SpecIssue } from "../spec/index.ts";
import { readPath } from "./json-path.ts";
import { validateWithFormulas } from "./spec-formulas.ts";
import { registrationIssues } from "./spec-registration.ts";
import { targetIssues } from "./spec-targets.ts";
import type { SpawnedBy } from "./store.ts";
import { goalStub } from "./stub.ts";
import { subscriptionsOf } from "./subscriptions.ts";
import type { GoalView } from "./view.ts";

/** A fresh goal id, or a deterministic one for a spawn (so a repeated spawn creates nothing new). */
export async function goalId(seed?: string): Promise<string> {
  if (seed === undefined) return `g_${hex(crypto.getRandomValues(new Uint8Array(10)))}`;
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(seed));
  return `g_${hex(new Uint8Array(digest).slice(0, 10))}`;
}

/** The refusal (a 422) naming every invalid field of a spec. */
export function invalidSpec(issues: SpecIssue[]): GoalInvalid {
  const first = issues[0];
  return new GoalInvalid(first ? `${first.path}: ${first.message}` : "invalid goal spec", {
    details: { issues },
  });
}

/** Throws when a spec would keep more history values than the tenant's quota. */
export function assertHistoryFits(env: Env, spec: GoalSpec): void {
  const limit = quotaLimit(env, "history_values");
  const used =
    spec.keep * Math.max(1, Object.keys(spec.observe).length + Object.keys(spec.act).length);
  if (used > limit) throw overQuota("history_values", limit, used);
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
  const validation = await validateWithFormulas(db, tenant, input);
  const refused = [
    ...registrationIssues(input),
    ...targetIssues(input, { allowPrivate: allowPrivateTargets(env) }),
  ];
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

/**
 * The id of a goal created with an `Idempotency-Key`: the same tenant and key
 * always name the same goal, so a retry after a crash finds what the first
 * attempt registered instead of creating a second goal.
 */
export function idempotentGoalId(tenant: string, key: string): Promise<string> {
  // A tenant has no spaces, so no spawn's seed (`tenant:key`) is ever this one.
  return goalId(`Idempotency-Key ${tenant} ${key}`);
}

/** Where a goal reports its end, when its row says it was spawned. */
function parentOf(row: GoalRow): SpawnedBy | null {
  const { parentId, parentAction, parentKey } = row;
  return parentId !== null && parentAction !== null && parentKey !== null
    ? { goalId: parentId, action: parentAction, key: parentKey }
    : null;
}

/**
 * Starts a registered goal's object from its row alone, as creating it does;
 * a no-op for a goal already started. This finishes a creation that a crash
 * stopped between the row and the object. null when the object was deleted
 * after the row was made: the row is one a crashed deletion left behind.
 */
export async function startGoal(env: Env, db: Db, row: GoalRow): Promise<GoalView | null> {
  const spec = row.spec as unknown as GoalSpec;
  const initial = await primeRecords(db, row.tenant, spec, Date.now());
  return goalStub(env, row.id).start(
    {
      id: row.id,
      tenant: row.tenant,
      spec,
      specVersion: row.specVersion,
      parent: parentOf(row),
      createdAt: row.createdAt,
    },
    initial,
  );
}

export interface CreateOptions {
  /** A spawn's id (derived from its action key). */
  id?: string;
  parent?: SpawnedBy;
  /** The request's `Idempotency-Key`: the goal's id derives from it (see idempotentGoalId). */
  idempotencyKey?: string;
}

export interface Created {
  row: GoalRow;
  view: GoalView;
  created: boolean;
  /** Shown at creation, and again to a repeat that may be the first answer (see `repeated`). */
  secrets?: GoalSecretsRow;
}

/**
 * The answer to a creation repeated on an id whose row exists: that goal,
 * its object started now if the first attempt crashed before starting it.
 * A repeat with the Idempotency-Key gets the secrets again while the
 * idempotency record of the first attempt could still be replayed: a repeat
 * only runs when no response was stored (the first attempt crashed or
 * failed), and the same caller would have been shown them by the replay.
 * undefined when the row is a crashed deletion's leftover (it is removed).
 */
async function repeated(
  env: Env,
  db: Db,
  row: GoalRow,
  spec: GoalSpec,
  options: CreateOptions,
): Promise<Created | undefined> {
  if (options.idempotencyKey !== undefined && JSON.stringify(row.spec) !== JSON.stringify(spec)) {
    throw new IdempotencyKeyReused("this Idempotency-Key already names a goal with another spec");
  }
  const view = (await goalStub(env, row.id).view(row.tenant)) ?? (await startGoal(env, db, row));
  if (!view) {
    await removeGoal(env, db, row);
    return undefined;
  }
  const showSecrets =
    options.idempotencyKey !== undefined && Date.now() - row.createdAt < IDEMPOTENCY_TTL_MS;
  return {
    row,
    view,
    created: false,
    ...(showSecrets ? { secrets: await secretsOf(db, row.tenant, row.id) } : {}),
  };
}

/**
 * Registers a goal and starts its loop. The D1 row is written first and
 * holds all the object needs, so whatever a crash leaves half-made is
 * finished from it: by a repeat of the creation (the same id), by a read of
 * the goal, or by the cron (`healGoals`).
 */
export async function createGoal(
  env: Env,
  db: Db,
  tenant: string,
  input: unknown,
  options: CreateOptions = {},
): Promise<Created> {
  const spec = await validSpec(env, db, tenant, input);
  assertHistoryFits(env, spec);
  const id =
    options.id ??
    (options.idempotencyKey === undefined
      ? await goalId()
      : await idempotentGoalId(tenant, options.idempotencyKey));
  const existing = await getGoal(db, tenant, id);
  if (existing) {
    const answer = await repeated(env, db, existing, spec, options);
    if (answer) return answer;
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
    parentAction: options.parent?.action ?? null,
    parentKey: options.parent?.key ?? null,
    createdAt: now,
    updatedAt: now,
  };
  const limit = quotaLimit(env, "goals");
  if (!(await insertGoal(db, row, subscriptionsOf(spec), limit)))
    throw await quotaExceeded(db, tenant, "goals", limit);
  const secrets = await createSecrets(db, tenant, id, now);
  const view = await startGoal(env, db, row);
  if (!view) throw new Error(`goal ${id} refused its start: deleted after it was registered`);
  return { row, view, created: true, secrets };
}

/**
 * Stops the loop, clears the goal's storage and removes it from the registry.
 * The deletion is a status event on the observations queue, as the goal's
 * end would be: goals watching it see `deleted`, and a spawned goal that had
 * not ended reports to its parent (a failed second result of the spawn
 * action). It is sent before the row goes, so a crash is finished by a
 * retry or the cron, which send it again (the parent ignores the repeat).
 */
export async function removeGoal(env: Env, db: Db, row: GoalRow): Promise<void> {
  const stub = goalStub(env, row.id);
  const status = (await stub.view(row.tenant))?.status ?? row.status;
  await stub.destroy(row.tenant);
  const parent = status === "done" || status === "failed" ? null : parentOf(row);
  const event: GoalEvent = {
    type: "goal",
    tenant: row.tenant,
    goalId: row.id,
    status: "deleted",
    at: Date.now(),
    ...(parent ? { parent } : {}),
  };
  await env.OBSERVATIONS.send(event, { contentType: "json" });
  await deleteGoal(db, row.tenant, row.id);
  await deleteSecrets(db, row.tenant, row.id);
  await deleteGoalApprovals(db, row.tenant, row.id);
}
