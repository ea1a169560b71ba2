/**
 * The goal Durable Object: one per goal. It keeps the goal's loop state and
 * audit trail in its own storage and runs the loop: from its single alarm at
 * the goal's cadence, and at once, in the same invocation, when something
 * arrives (arrivals during a cycle join the next). Cycles run one at a time.
 * The alarm is re-armed in every outcome; a failing cycle backs off and is
 * recorded as a fault receipt, never ending the loop.
 */
import { DurableObject } from "cloudflare:workers";
import { database } from "../db/client.ts";
import {
  type ActResult,
  type CompiledGoal,
  carryOver,
  type GoalSpec,
  type GoalState,
  initialState,
  type Observation,
  type Receipt,
  type Trigger,
} from "../loop/index.ts";
import { setLogLevel } from "../observability/log.ts";
import { count, flushMetrics } from "../observability/metrics.ts";
import { compileStored } from "./compile.ts";
import { logNotRun, logPhases, recordFault } from "./cycle-record.ts";
import { step } from "./cycle-step.ts";
import { observationsFor } from "./external.ts";
import type { GoalEvent, RecordEvent, StreamEvent } from "./messages.ts";
import { fileStatusEvent } from "./outbox.ts";
import { checkPushKey, listReceipts, type PushOutcome, replayLog, viewInputs } from "./reads.ts";
import { Sender } from "./sender.ts";
import { CycleSerial, type PassKind } from "./serial.ts";
import {
  backoffMs,
  type GoalInit,
  type GoalMeta,
  type InboxItem,
  keys,
  type LoggedCycle,
  metaWrites,
  newMeta,
  readMeta,
  wakeSoon,
} from "./store.ts";
import { type GoalView, goalView } from "./view.ts";

export { backoffMs, type GoalInit };

/** How soon the alarm takes over an arrival whose cycle has not run (the object restarted). */
const ARRIVAL_GRACE_MS = 2000;

export class Goal extends DurableObject<Env> {
  #compiled: { specVersion: number; goal: CompiledGoal } | undefined;
  /**
   * Whether the inbox may hold entries. Kept in memory to spare a quiet
   * cycle a storage listing; "maybe" after every (re)start.
   */
  #inboxMaybe = true;
  readonly #sender: Sender;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#sender = new Sender(ctx.storage, env);
    setLogLevel(env.LOG_LEVEL);
  }

  /**
   * The goal's meta, read once per instance: every change to it goes through
   * this object, which writes it back, so the copy in memory stays current.
   */
  #cachedMeta: GoalMeta | undefined;
  /** The loop state as last stored by this instance (read from storage after a restart). */
  #cachedState: GoalState | undefined;

  async #state(): Promise<GoalState> {
    this.#cachedState ??= await this.ctx.storage.get<GoalState>(keys.state);
    if (!this.#cachedState) throw new Error("goal state is missing");
    return this.#cachedState;
  }

  async #meta(tenant?: string): Promise<GoalMeta | undefined> {
    this.#cachedMeta ??= await readMeta(this.ctx.storage);
    const meta = this.#cachedMeta;
    if (!meta || (tenant !== undefined && meta.tenant !== tenant)) return undefined;
    return meta;
  }

  async #goal(meta: GoalMeta): Promise<CompiledGoal> {
    if (this.#compiled?.specVersion === meta.specVersion) return this.#compiled.goal;
    const goal = await compileStored(database(this.env.DB), meta.tenant, meta.spec);
    this.#compiled = { specVersion: meta.specVersion, goal };
    return goal;
  }

  /**
   * Files an arrival for the next cycle (with `extra` writes in the same put)
   * and starts that cycle at once, or right after the one under way. The
   * alarm, armed in the same commit, is the safety net should the object
   * restart first; a goal backing off after failures takes it on its retry.
   */
  async #enqueue(meta: GoalMeta, item: InboxItem, extra: Record<string, unknown> = {}) {
    const seq = meta.nextSeq;
    meta.nextSeq += 1;
    await this.ctx.storage.put({ [keys.inbox(seq)]: item, ...metaWrites(meta, false), ...extra });
    this.#inboxMaybe = true;
    if (meta.status !== "active" || meta.failures > 0) return;
    await wakeSoon(this.ctx.storage, ARRIVAL_GRACE_MS);
    const run = this.#serial.soon();
    if (run) this.ctx.waitUntil(run.catch((error) => logNotRun(meta, error)));
  }

  /**
   * Registers the goal here and starts its loop at once. Starting again
   * changes nothing (a retried creation, or the cron finishing one a crash
   * left unstarted); a start for a registration older than this object's
   * deletion is refused (null): its row is one the deletion had not removed yet.
   */
  async start(init: GoalInit, initial: Observation[]): Promise<GoalView | null> {
    const current = await this.#meta();
    if (current) return current.tenant === init.tenant ? this.#view(current) : null;
    const deletedAt = await this.ctx.storage.get<number>(keys.deleted);
    if (deletedAt !== undefined && deletedAt >= init.createdAt) return null;
    const goal = await compileStored(database(this.env.DB), init.tenant, init.spec);
    if (this.#cachedMeta) return this.start(init, initial); // another start ran meanwhile
    const now = Date.now();
    const meta = newMeta(init, now);
    this.#compiled = { specVersion: meta.specVersion, goal };
    this.#cachedMeta = meta;
    this.#cachedState = initialState(goal, now);
    await this.ctx.storage.put({ ...metaWrites(meta, true), [keys.state]: this.#cachedState });
    const primed: InboxItem = {
      kind: "observations",
      trigger: "record",
      observations: initial,
      at: now,
    };
    // The first cycle runs at once: for the initial observations, or from the alarm.
    if (initial.length > 0) await this.#enqueue(meta, primed);
    else await this.ctx.storage.setAlarm(now + 1);
    return this.#view(meta);
  }

  /**
   * A new spec version; loop state is kept where names survive. A version no
   * newer than the goal's own changes nothing (concurrent changes may arrive
   * out of order): the answer is the goal as it is.
   */
  async update(tenant: string, spec: GoalSpec, specVersion: number): Promise<GoalView | null> {
    const meta = await this.#meta(tenant);
    if (!meta) return null;
    const goal = await compileStored(database(this.env.DB), tenant, spec);
    const state = await this.ctx.storage.get<GoalState>(keys.state);
    if (specVersion <= meta.specVersion) return this.#view(meta); // checked after the awaits
    const next = state ? carryOver(goal, state) : initialState(goal, Date.now());
    Object.assign(meta, { spec, specVersion, name: spec.name, failures: 0 });
    if (meta.status === "done") meta.status = "active";
    this.#compiled = { specVersion, goal };
    this.#cachedState = next;
    await this.ctx.storage.put({ ...metaWrites(meta, true), [keys.state]: next });
    if (meta.status === "active") await wakeSoon(this.ctx.storage);
    return this.#view(meta);
  }

  async setPaused(tenant: string, paused: boolean): Promise<GoalView | null> {
    const meta = await this.#meta(tenant);
    if (!meta) return null;
    if (paused && meta.status === "active") {
      meta.status = "paused";
      await this.ctx.storage.put(metaWrites(meta, false));
      await this.ctx.storage.deleteAlarm();
      await this.#sender.copyAll(meta); // no alarm will come for them
    } else if (!paused && meta.status === "paused") {
      meta.status = "active";
      meta.cadenceAt = Date.now();
      await this.ctx.storage.put(metaWrites(meta, false));
      await wakeSoon(this.ctx.storage);
    }
    return this.#view(meta);
  }

  /**
   * Clears the alarm and every stored byte but the time of the deletion (see
   * `start`), also when the goal was never started; whether there was a goal.
   */
  async destroy(tenant: string): Promise<boolean> {
    const meta = await this.#meta();
    if (meta && meta.tenant !== tenant) return false;
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    await this.ctx.storage.put(keys.deleted, Date.now());
    [this.#compiled, this.#cachedMeta, this.#cachedState] = [undefined, undefined, undefined];
    return meta !== undefined;
  }

  /**
   * Accepts pushed (or signalled) observations. A repeated idempotency key is
   * not counted twice; the same key with another body (`fingerprint`) is refused.
   */
  async observe(
    tenant: string,
    observations: Observation[],
    trigger: Trigger,
    idempotency?: { key: string; fingerprint: string },
  ): Promise<PushOutcome | null> {
    const meta = await this.#meta(tenant);
    if (!meta) return null;
    const now = Date.now();
    const checked = await checkPushKey(this.ctx.storage, idempotency, observations.length, now);
    if ("answer" in checked) return checked.answer;
    await this.#enqueue(
      meta,
      { kind: "observations", trigger, observations, at: now },
      checked.remember,
    );
    return { accepted: observations.length, duplicate: false };
  }

  /** An action's outcome, back through the observations queue. */
  async deliverActResult(tenant: string, result: ActResult): Promise<boolean> {
    const meta = await this.#meta(tenant);
    if (!meta) return false;
    await this.#enqueue(meta, { kind: "act_result", result, at: Date.now() });
    return true;
  }

  /** A record change, stream event or goal update this goal may watch. */
  async deliverEvent(
    event: RecordEvent | StreamEvent | GoalEvent,
    goalView?: unknown,
  ): Promise<number> {
    const meta = await this.#meta(event.tenant);
    if (!meta) return 0;
    const observations = observationsFor(meta.spec, event, goalView);
    if (observations.length === 0) return 0;
    const trigger: Trigger = event.type === "goal" ? "signal" : event.type;
    await this.#enqueue(meta, { kind: "observations", trigger, observations, at: Date.now() });
    return observations.length;
  }

  async view(tenant: string): Promise<GoalView | null> {
    const meta = await this.#meta(tenant);
    return meta ? this.#view(meta) : null;
  }

  async #view(meta: GoalMeta): Promise<GoalView> {
    const { state, alarm, last } = await viewInputs(this.ctx.storage);
    return goalView(meta, state, alarm, last);
  }

  /** Receipts, oldest first: those after cycle `after`, or the latest `limit`. */
  async receipts(
    tenant: string,
    after: number | undefined,
    limit: number,
  ): Promise<Receipt[] | null> {
    if (!(await this.#meta(tenant))) return null;
    return listReceipts(this.ctx.storage, after, limit);
  }

  /** The observations each recorded cycle applied, oldest first, for replay. */
  async recorded(
    tenant: string,
  ): Promise<{ spec: GoalSpec; createdAt: number; log: LoggedCycle[] } | null> {
    const meta = await this.#meta(tenant);
    if (!meta) return null;
    return { spec: meta.spec, createdAt: meta.createdAt, log: await replayLog(this.ctx.storage) };
  }

  /** Whether an alarm is armed (for the self-healing cron); "missing" when no goal is here. */
  async ensureAlarm(): Promise<"armed" | "rearmed" | "inactive" | "missing"> {
    const meta = await this.#meta();
    if (!meta) return "missing";
    if (meta.status !== "active") return "inactive";
    if ((await this.ctx.storage.getAlarm()) !== null) return "armed";
    await this.ctx.storage.setAlarm(Date.now() + 1);
    return "rearmed";
  }

  #serial = new CycleSerial((arrival) => this.#cycle(arrival));

  override async alarm(): Promise<void> {
    const fired = Date.now();
    const ranMeanwhile = await this.#serial.settle(fired);
    const meta = await this.#meta();
    const idle = meta?.status === "active" && meta.failures === 0 && !this.#inboxMaybe;
    // Not a cadence tick, unless more is due: a cycle that ran while this alarm waited did
    // what it was armed for, or the alarm came for the D1 copies that wait.
    const early = ranMeanwhile || this.#sender.copiesAt !== undefined;
    await this.#serial.run(idle && early && Date.now() < meta.cadenceAt ? "copies" : "alarm");
  }

  /**
   * One pass: a cycle, its sends and log lines, or (`copies`) only the D1
   * copies that are due; re-arms the alarm in every outcome.
   */
  async #cycle(kind: PassKind): Promise<void> {
    const meta = await this.#meta();
    // A goal that finished while its last sends failed keeps retrying them, and only them.
    const leftover = kind === "alarm" && meta?.status === "done" && meta.failures > 0;
    if (!meta || (meta.status !== "active" && !leftover)) return;
    const now = Date.now();
    const failuresBefore = meta.failures;
    let next = now + 1;
    try {
      await this.#sender.flush(meta);
      if (kind === "copies") {
        await this.#sender.copy(meta, now);
        next = meta.cadenceAt;
        return;
      }
      if (leftover) {
        meta.failures = 0;
        await this.ctx.storage.put(metaWrites(meta, false));
        return;
      }
      const goal = await this.#goal(meta);
      meta.failures = 0; // stored with the cycle's state; restored below if the cycle fails
      const readInbox = this.#inboxMaybe;
      this.#inboxMaybe = false; // arrivals during the cycle set it again
      const state = await this.#state();
      const outcome = await step(
        this.ctx.storage,
        this.env,
        meta,
        goal,
        now,
        readInbox,
        state,
        kind === "arrival",
      );
      next = meta.cadenceAt;
      if (!outcome) return; // the arrivals were taken by an earlier cycle
      this.#cachedState = outcome.result.state;
      if (outcome.moreInbox) this.#inboxMaybe = true;
      const fresh = new Map(outcome.outbox);
      if (outcome.result.done) await fileStatusEvent(this.ctx.storage, meta, "done", now, fresh);
      const sent = await this.#sender.send(meta, fresh, now);
      logPhases(meta, outcome, sent);
      count(meta.tenant, "loop.cycles");
      if (sent > 0) count(meta.tenant, "loop.actions", sent);
    } catch (error) {
      this.#inboxMaybe = true;
      this.#sender.unsure();
      meta.failures = failuresBefore + 1;
      next = now + backoffMs(meta.failures, this.#compiled?.goal.everyMs ?? 60_000);
      await recordFault(this.ctx.storage, meta, now, error, next);
    } finally {
      if (meta.status === "active" || meta.failures > 0) {
        // Arrivals left over: the alarm takes them, unless the next cycle runs at once anyway.
        const waiting = this.#inboxMaybe && meta.failures === 0;
        const soon = Date.now() + (this.#serial.again ? ARRIVAL_GRACE_MS : 1);
        const copies = meta.failures === 0 ? (this.#sender.copiesAt ?? next) : next;
        await this.ctx.storage.setAlarm(
          waiting ? soon : Math.max(Math.min(next, copies), Date.now() + 1),
        );
      }
      this.ctx.waitUntil(flushMetrics(database(this.env.DB)).catch(() => undefined));
    }
  }
}
