/**
 * What one goal's Durable Object instance holds between calls, and the reads
 * through it: the goal's meta and loop state as this instance last stored
 * them, the goal compiled once per spec version, and hints that spare a quiet
 * cycle storage listings. The class (goal-object.ts) keeps one in a private
 * field and passes it to the functions that run its calls.
 */
import { type GoalState, migrateState } from "../cycle/index.ts";
import { database } from "../db/client.ts";
import { log } from "../observability/log.ts";
import type { CompiledGoal } from "../spec/index.ts";
import type { CycleSerial } from "./cycle-serial.ts";
import type { Sender } from "./sender.ts";
import { compileStoredSpec } from "./spec-formulas.ts";
import { type GoalMeta, keys, readMeta, type Snapshot } from "./store.ts";

export interface Instance {
  readonly ctx: DurableObjectState;
  readonly env: Env;
  readonly sender: Sender;
  /** The goal's cycles, one at a time. */
  readonly serial: CycleSerial;
  /**
   * The goal's meta, read once per instance: every change to it goes through
   * this object, which writes it back, so the copy in memory stays current.
   */
  meta: GoalMeta | undefined;
  /** The loop state as last stored by this instance (read from storage after a restart). */
  state: GoalState | undefined;
  compiled: { specVersion: number; goal: CompiledGoal } | undefined;
  /**
   * Whether the inbox may hold entries. Kept in memory to spare a quiet
   * cycle a storage listing; "maybe" after every (re)start.
   */
  inboxMaybe: boolean;
  /** When this instance last dropped expired push idempotency keys. */
  idempotencyPrunedAt: number;
}

/** The goal's meta; undefined when there is no goal here, or (given `tenant`) it is another tenant's. */
export async function metaOf(instance: Instance, tenant?: string): Promise<GoalMeta | undefined> {
  instance.meta ??= await readMeta(instance.ctx.storage);
  const meta = instance.meta;
  if (!meta || (tenant !== undefined && meta.tenant !== tenant)) return undefined;
  return meta;
}

/**
 * The loop state, migrated to the current version when an older one was
 * stored (then the replay record restarts from it: the old log did not
 * record every input).
 */
export async function loopState(instance: Instance): Promise<GoalState> {
  if (instance.state) return instance.state;
  const stored = await instance.ctx.storage.get<GoalState>(keys.state);
  if (!stored) throw new Error("goal state is missing");
  const state = migrateState(stored);
  if (state !== stored) await restartReplay(instance, state);
  instance.state = state;
  return state;
}

/** Stores a migrated state as the start of a new replay record, dropping the old log. */
async function restartReplay(instance: Instance, state: GoalState): Promise<void> {
  const meta = await metaOf(instance);
  if (!meta) return;
  const old = await instance.ctx.storage.list({ prefix: "log:" });
  for (let i = 0; i < old.size; i += 128)
    await instance.ctx.storage.delete([...old.keys()].slice(i, i + 128));
  const snapshot: Snapshot = { cycle: state.cycle, specVersion: meta.specVersion, state };
  await instance.ctx.storage.put({
    [keys.state]: state,
    [keys.snapshot(state.cycle)]: snapshot,
    [keys.spec(meta.specVersion)]: meta.spec,
  });
  log("info", "state_migrated", { goal: meta.id, tenant: meta.tenant, cycle: state.cycle });
}

/** The goal compiled from the meta's spec version (once per version). */
export async function compiledGoal(instance: Instance, meta: GoalMeta): Promise<CompiledGoal> {
  if (instance.compiled?.specVersion === meta.specVersion) return instance.compiled.goal;
  const goal = await compileStoredSpec(database(instance.env), meta.tenant, meta.spec);
  instance.compiled = { specVersion: meta.specVersion, goal };
  return goal;
}

/** Schedules a pass `delayMs` (at least 1) from now unless one is due sooner. */
export async function wakeSoon(storage: DurableObjectStorage, delayMs = 1): Promise<void> {
  const soon = Date.now() + Math.max(1, delayMs);
  const current = await storage.getAlarm();
  if (current === null || current > soon) await storage.setAlarm(soon);
}
