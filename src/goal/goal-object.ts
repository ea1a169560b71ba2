/**
 * The goal Durable Object: one per goal. It keeps the goal's loop state and
 * audit trail in its own storage and runs the loop: from its single alarm at
 * the goal's cadence, and at once, in the same invocation, when something
 * arrives (arrivals during a cycle join the next). Cycles run one at a time.
 * A pass is planned as a pure function (`pass.ts`); this class loads, stores
 * and sends around it. The alarm is re-armed in every outcome; a failing
 * cycle backs off and is recorded as a fault receipt, never ending the loop.
 */
import { DurableObject } from "cloudflare:workers";
import type { ActResult, Decider, Observation, Receipt, Trigger } from "../cycle/index.ts";
import { database } from "../db/client.ts";
import { describeError, log, setLogLevel } from "../observability/log.ts";
import { countCycle, flushMetrics } from "../observability/metrics.ts";
import type { GoalEvent, RecordEvent, StreamEvent } from "../queues.ts";
import type { GoalSpec } from "../spec/index.ts";
import { type Decision, takeDecision } from "./approvals.ts";
import { logPhases, recordFault } from "./cycle-record.ts";
import { CycleSerial } from "./cycle-serial.ts";
import { step } from "./cycle-step.ts";
import { pruneIdempotency, pruneReplay } from "./housekeeping.ts";
import { givenUp, takeActResult, takeEvent, takeObservations, takePayload } from "./inbox.ts";
import { compiledGoal, type Instance, loopState, metaOf } from "./instance.ts";
import { changeSpec, clearStorage, pauseOrResume, startLoop } from "./object-lifecycle.ts";
import { fileStatusEvent } from "./outbox.ts";
import { alarmPass, nextAlarmAt, type PassKind } from "./pass.ts";
import { Sender } from "./sender.ts";
import {
  listApprovals,
  listReceipts,
  type PushOutcome,
  type ReceiptCursor,
  type ReplayRecord,
  readView,
  replayRecord,
} from "./storage-reads.ts";
import {
  type ApprovalRecord,
  backoffMs,
  type GoalInit,
  type GoalMeta,
  metaWrites,
} from "./store.ts";
import type { GoalView } from "./view.ts";

export { backoffMs, type GoalInit };

/** How often a goal drops expired push idempotency keys (on cadence cycles). */
const IDEMPOTENCY_PRUNE_MS = 60_000;

export class Goal extends DurableObject<Env> {
  /** What this instance holds between calls (see instance.ts). */
  readonly #instance: Instance;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const serial = new CycleSerial((kind) => this.#cycle(kind));
    const sender = new Sender(ctx.storage, env, (meta, results) =>
      givenUp(this.#instance, meta, results),
    );
    this.#instance = {
      ctx,
      env,
      sender,
      serial,
      meta: undefined,
      state: undefined,
      compiled: undefined,
      inboxMaybe: true,
      idempotencyPrunedAt: 0,
    };
    setLogLevel(env.LOG_LEVEL);
  }

  /** Registers the goal here and starts its loop: see `startLoop`. */
  async start(init: GoalInit, initial: Observation[]): Promise<GoalView | null> {
    return startLoop(this.#instance, init, initial);
  }

  /** A new spec version: see `changeSpec`. */
  async update(tenant: string, spec: GoalSpec, specVersion: number): Promise<GoalView | null> {
    const meta = await metaOf(this.#instance, tenant);
    if (!meta) return null;
    return changeSpec(this.#instance, meta, spec, specVersion);
  }

  /** Pauses or resumes the goal: see `pauseOrResume`. */
  async setPaused(tenant: string, paused: boolean): Promise<GoalView | null> {
    const meta = await metaOf(this.#instance, tenant);
    if (!meta) return null;
    return pauseOrResume(this.#instance, meta, paused);
  }

  /** Clears the goal's storage: see `clearStorage`. */
  async destroy(tenant: string): Promise<boolean> {
    return clearStorage(this.#instance, tenant);
  }

  /** Pushed (or signalled) observations: see `takeObservations`. */
  async observe(
    tenant: string,
    observations: Observation[],
    trigger: Trigger,
    idempotency?: { key: string; fingerprint: string },
  ): Promise<PushOutcome | null> {
    const meta = await metaOf(this.#instance, tenant);
    if (!meta) return null;
    return takeObservations(this.#instance, meta, observations, trigger, idempotency);
  }

  /** A payload pushed as it is: see `takePayload`. */
  async observePayload(
    tenant: string,
    payload: unknown,
    at: number,
    idempotency?: { key: string; fingerprint: string },
  ): Promise<PushOutcome | null> {
    const meta = await metaOf(this.#instance, tenant);
    if (!meta) return null;
    return takePayload(this.#instance, meta, payload, at, idempotency);
  }

  /** An action's outcome, back through the observations queue: always taken. */
  async deliverActResult(tenant: string, result: ActResult): Promise<boolean> {
    const meta = await metaOf(this.#instance, tenant);
    if (!meta) return false;
    await takeActResult(this.#instance, meta, result);
    return true;
  }

  /** A record change, stream event or goal update this goal may watch: see `takeEvent`. */
  async deliverEvent(
    event: RecordEvent | StreamEvent | GoalEvent,
    goalView?: unknown,
  ): Promise<number> {
    const meta = await metaOf(this.#instance, event.tenant);
    if (!meta) return 0;
    return takeEvent(this.#instance, meta, event, goalView);
  }

  async view(tenant: string): Promise<GoalView | null> {
    const meta = await metaOf(this.#instance, tenant);
    return meta ? readView(this.ctx.storage, meta) : null;
  }

  /** Receipts, oldest first: those after `after`, or the latest `limit`. */
  async receipts(
    tenant: string,
    after: ReceiptCursor | undefined,
    limit: number,
  ): Promise<Receipt[] | null> {
    if (!(await metaOf(this.#instance, tenant))) return null;
    return listReceipts(this.ctx.storage, after, limit);
  }

  /** What replay runs over: a snapshot, every cycle's inputs since, the spec versions. */
  async recorded(tenant: string): Promise<{
    spec: GoalSpec;
    specVersion: number;
    record: ReplayRecord | null;
  } | null> {
    const meta = await metaOf(this.#instance, tenant);
    if (!meta) return null;
    if (meta.status === "active") await loopState(this.#instance).catch(() => undefined);
    const record = await replayRecord(this.ctx.storage);
    return { spec: meta.spec, specVersion: meta.specVersion, record };
  }

  /** The goal's approvals, newest first (only those with `status` when given). */
  async approvals(
    tenant: string,
    status?: ApprovalRecord["status"],
  ): Promise<ApprovalRecord[] | null> {
    if (!(await metaOf(this.#instance, tenant))) return null;
    return listApprovals(this.ctx.storage, status);
  }

  /** A person's decision on an action awaiting approval: see `takeDecision`. */
  async decide(
    tenant: string,
    key: string,
    decision: "approved" | "rejected",
    by: Decider,
    reason: string | null,
  ): Promise<Decision | null> {
    const meta = await metaOf(this.#instance, tenant);
    if (!meta) return null;
    return takeDecision(this.#instance, meta, key, decision, by, reason);
  }

  /** Whether an alarm is armed (for the self-healing cron); "missing" when no goal is here. */
  async ensureAlarm(): Promise<"armed" | "rearmed" | "inactive" | "missing"> {
    const meta = await metaOf(this.#instance);
    if (!meta) return "missing";
    if (meta.status !== "active") return "inactive";
    if ((await this.ctx.storage.getAlarm()) !== null) return "armed";
    await this.ctx.storage.setAlarm(Date.now() + 1);
    return "rearmed";
  }

  override async alarm(): Promise<void> {
    const fired = Date.now();
    const ranMeanwhile = await this.#instance.serial.settle(fired);
    const meta = await metaOf(this.#instance);
    if (!meta) return;
    const kind = alarmPass({
      now: Date.now(),
      meta,
      state: this.#instance.state,
      waiting: this.#instance.inboxMaybe,
      // A cycle that ran while this alarm waited did what it was armed for, or it came for the copies.
      early: ranMeanwhile || this.#instance.sender.copiesAt !== undefined,
    });
    await this.#instance.serial.run(kind);
  }

  /** Pruning after a cycle; a failure here is logged and does not fail the cycle. */
  async #housekeeping(meta: GoalMeta, cycle: number, cadence: boolean, now: number) {
    try {
      await pruneReplay(this.ctx.storage, cycle);
      if (cadence && now - this.#instance.idempotencyPrunedAt >= IDEMPOTENCY_PRUNE_MS) {
        this.#instance.idempotencyPrunedAt = now;
        await pruneIdempotency(this.ctx.storage, now);
      }
    } catch (error) {
      log("warn", "housekeeping_fault", {
        goal: meta.id,
        tenant: meta.tenant,
        ...describeError(error),
      });
    }
  }

  /**
   * One pass: a cycle, its sends and log lines, or (`copies`) only the D1
   * copies that are due; re-arms the alarm in every outcome.
   */
  async #cycle(kind: PassKind): Promise<void> {
    const meta = await metaOf(this.#instance);
    // A goal that finished while its last sends failed keeps retrying them, and only them.
    const leftover = kind === "alarm" && meta?.status === "done" && meta.failures > 0;
    if (!meta || (meta.status !== "active" && !leftover)) return;
    const now = Date.now();
    const failuresBefore = meta.failures;
    let retryAt = now;
    try {
      await this.#instance.sender.flush(meta);
      if (kind === "copies") {
        await this.#instance.sender.copy(meta, now);
        return;
      }
      if (leftover) {
        meta.failures = 0;
        await this.ctx.storage.put(metaWrites(meta, false));
        return;
      }
      const goal = await compiledGoal(this.#instance, meta);
      const readInbox = this.#instance.inboxMaybe;
      this.#instance.inboxMaybe = false; // arrivals during the cycle set it again
      const state = await loopState(this.#instance);
      // The cycle is stored with no failures counted; they are restored below if it fails.
      const loaded = { meta: { ...meta, failures: 0 }, goal, state };
      const outcome = await step(this.ctx.storage, this.env, loaded, now, kind, readInbox);
      if (!outcome) return; // the arrivals were taken by an earlier cycle
      const { plan } = outcome;
      Object.assign(meta, plan.meta);
      this.#instance.state = plan.result.state;
      if (outcome.moreInbox) this.#instance.inboxMaybe = true;
      const fresh = new Map(plan.outbox);
      if (plan.result.done) await fileStatusEvent(this.ctx.storage, meta, "done", now, fresh);
      const sent = await this.#instance.sender.send(meta, fresh, now);
      logPhases(meta, outcome, sent);
      countCycle(meta.tenant, meta.id, sent, Date.now() - now);
      await this.#housekeeping(meta, plan.receipt.cycle, plan.input.trigger === "alarm", now);
    } catch (error) {
      this.#instance.inboxMaybe = true;
      this.#instance.sender.unsure();
      meta.failures = failuresBefore + 1;
      retryAt = now + backoffMs(meta.failures, this.#instance.compiled?.goal.everyMs ?? 60_000);
      await recordFault(this.ctx.storage, meta, now, error, retryAt);
    } finally {
      const at = nextAlarmAt({
        now: Date.now(),
        status: meta.status,
        failures: meta.failures,
        retryAt,
        cadenceAt: meta.cadenceAt,
        waiting: this.#instance.inboxMaybe,
        again: this.#instance.serial.again,
        copiesAt: this.#instance.sender.copiesAt,
        state: this.#instance.state,
      });
      if (at !== null) await this.ctx.storage.setAlarm(at);
      this.ctx.waitUntil(flushMetrics(database(this.env.DB)).catch(() => undefined));
    }
  }
}
