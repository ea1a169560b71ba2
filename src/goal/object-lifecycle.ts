/**
 * A goal's lifecycle inside its Durable Object: started (its storage
 * written and its loop begun), a new spec version taken, paused and resumed,
 * its storage cleared. Keeping the D1 registry in step with these is
 * `lifecycle.ts`'s part, from the Worker's side.
 */
import { carryOver, initialState, type Observation } from "../cycle/index.ts";
import { database } from "../db/client.ts";
import { type GoalSpec, jsonBytes } from "../spec/index.ts";
import { enqueue } from "./inbox.ts";
import { type Instance, loopState, metaOf, wakeSoon } from "./instance.ts";
import { compileStoredSpec } from "./spec-formulas.ts";
import { readView } from "./storage-reads.ts";
import { type GoalInit, type GoalMeta, keys, metaWrites, newMeta, type Snapshot } from "./store.ts";
import type { GoalView } from "./view.ts";

/**
 * Registers the goal here and starts its loop at once. Starting again
 * changes nothing (a retried creation, or the cron finishing one a crash
 * left unstarted); a start for a registration older than this object's
 * deletion is refused (null): its row is one the deletion had not removed yet.
 */
export async function startLoop(
  instance: Instance,
  init: GoalInit,
  initial: Observation[],
): Promise<GoalView | null> {
  const { storage } = instance.ctx;
  const current = await metaOf(instance);
  if (current) return current.tenant === init.tenant ? readView(storage, current) : null;
  const deletedAt = await storage.get<number>(keys.deleted);
  if (deletedAt !== undefined && deletedAt >= init.createdAt) return null;
  const goal = await compileStoredSpec(database(instance.env), init.tenant, init.spec);
  if (instance.meta) return startLoop(instance, init, initial); // another start ran meanwhile
  const now = Date.now();
  const meta = newMeta(init, now);
  instance.compiled = { specVersion: meta.specVersion, goal };
  instance.meta = meta;
  instance.state = initialState(goal, now);
  const { specVersion } = meta;
  const snapshot: Snapshot = { cycle: 0, specVersion, state: instance.state };
  await storage.put({
    ...metaWrites(meta, true),
    [keys.state]: instance.state,
    [keys.snapshot(0)]: snapshot,
    [keys.spec(specVersion)]: init.spec,
  });
  // The first cycle runs at once: for the initial observations, or from the alarm.
  if (initial.length > 0) {
    const primed = {
      kind: "observations" as const,
      trigger: "record" as const,
      observations: initial,
    };
    await enqueue(instance, meta, { ...primed, at: now, bytes: jsonBytes(initial) });
  } else await storage.setAlarm(now + 1);
  return readView(storage, meta);
}

/**
 * A new spec version; loop state is kept where names survive. A version no
 * newer than the goal's own changes nothing (concurrent changes may arrive
 * out of order): the answer is the goal as it is.
 */
export async function changeSpec(
  instance: Instance,
  meta: GoalMeta,
  spec: GoalSpec,
  specVersion: number,
): Promise<GoalView> {
  const { storage } = instance.ctx;
  const goal = await compileStoredSpec(database(instance.env), meta.tenant, spec);
  const state = await loopState(instance).catch(() => undefined);
  if (specVersion <= meta.specVersion) return readView(storage, meta); // checked after the awaits
  const next = state ? carryOver(goal, state) : initialState(goal, Date.now());
  Object.assign(meta, { spec, specVersion, name: spec.name, failures: 0 });
  if (meta.status === "done") meta.status = "active";
  instance.compiled = { specVersion, goal };
  instance.state = next;
  await storage.put({
    ...metaWrites(meta, true),
    [keys.state]: next,
    [keys.spec(specVersion)]: spec,
  });
  if (meta.status === "active") await wakeSoon(storage);
  return readView(storage, meta);
}

/** Pauses an active goal (its waiting D1 copies written now) or resumes a paused one. */
export async function pauseOrResume(
  instance: Instance,
  meta: GoalMeta,
  paused: boolean,
): Promise<GoalView> {
  const { storage } = instance.ctx;
  if (paused && meta.status === "active") {
    meta.status = "paused";
    await storage.put(metaWrites(meta, false));
    await storage.deleteAlarm();
    await instance.sender.copyAll(meta); // no alarm will come for them
  } else if (!paused && meta.status === "paused") {
    meta.status = "active";
    meta.cadenceAt = Date.now();
    // A pause is not downtime: the next alarm cycle counts no periods missed before now.
    meta.resumedAt = meta.cadenceAt;
    await storage.put(metaWrites(meta, false));
    await wakeSoon(storage);
  }
  return readView(storage, meta);
}

/**
 * Clears the alarm and every stored byte but the time of the deletion (see
 * `startLoop`), also when the goal was never started; whether there was a goal.
 */
export async function clearStorage(instance: Instance, tenant: string): Promise<boolean> {
  const { storage } = instance.ctx;
  const meta = await metaOf(instance);
  if (meta && meta.tenant !== tenant) return false;
  await storage.deleteAlarm();
  await storage.deleteAll();
  await storage.put(keys.deleted, Date.now());
  [instance.compiled, instance.meta, instance.state] = [undefined, undefined, undefined];
  return meta !== undefined;
}
