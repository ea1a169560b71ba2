/**
 * The goal Durable Object: one per goal. It keeps the goal's loop state and
 * audit trail in its own storage and runs the loop: from its single alarm at
 * the goal's cadence, and at once, in the same invocation, when something
 * arrives (arrivals during a cycle join the next). Cycles run one at a time.
 *
 * This class is its RPC surface (reached through `stub.ts`), where a call
 * naming another tenant's goal is answered as if there were none, and its
 * alarm. The calls' bodies are in modules by concept, passed what the
 * instance holds (`instance.ts`): the lifecycle (`object-lifecycle.ts`),
 * arrivals filed in the inbox (`inbox.ts`), approvals (`approvals.ts`), reads
 * (`storage-reads.ts`), and a pass of the loop (`cycle-step.ts`: the alarm is
 * re-armed in every outcome; a failing cycle backs off and is recorded as a
 * fault receipt, never ending the loop).
 */
import { DurableObject } from "cloudflare:workers";
import type { ActResult, Decider, Observation, Receipt, Trigger } from "../cycle/index.ts";
import { setLogLevel } from "../observability/log.ts";
import type { GoalEvent, RecordEvent, StreamEvent } from "../queues.ts";
import type { GoalSpec } from "../spec/index.ts";
import { type Decision, takeDecision } from "./approvals.ts";
import { CycleSerial } from "./cycle-serial.ts";
import { runPass } from "./cycle-step.ts";
import { givenUp, takeActResult, takeEvent, takeObservations, takePayload } from "./inbox.ts";
import { type Instance, loopState, metaOf } from "./instance.ts";
import {
  broadcastGoal,
  closeAll,
  issueTicket,
  openSocket,
  refuseMessage,
  watched,
} from "./live.ts";
import { changeSpec, clearStorage, pauseOrResume, startLoop } from "./object-lifecycle.ts";
import { alarmPass } from "./pass.ts";
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
import { type ApprovalRecord, backoffMs, type GoalInit, keys } from "./store.ts";
import type { GoalView } from "./view.ts";

export { backoffMs, type GoalInit };

export class Goal extends DurableObject<Env> {
  /** What this instance holds between calls (see instance.ts). */
  readonly #instance: Instance;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const serial = new CycleSerial((kind) => runPass(this.#instance, kind));
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
    // Live sockets' keep-alive, answered without waking the object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }

  /** Registers the goal here and starts its loop: see `startLoop`. */
  async start(init: GoalInit, initial: Observation[]): Promise<GoalView | null> {
    return startLoop(this.#instance, init, initial);
  }

  /** A new spec version: see `changeSpec`. */
  async update(tenant: string, spec: GoalSpec, specVersion: number): Promise<GoalView | null> {
    const meta = await metaOf(this.#instance, tenant);
    if (!meta) return null;
    const view = await changeSpec(this.#instance, meta, spec, specVersion);
    await broadcastGoal(this.#instance, view);
    return view;
  }

  /** Pauses or resumes the goal: see `pauseOrResume`. */
  async setPaused(tenant: string, paused: boolean): Promise<GoalView | null> {
    const meta = await metaOf(this.#instance, tenant);
    if (!meta) return null;
    const view = await pauseOrResume(this.#instance, meta, paused);
    await broadcastGoal(this.#instance, view);
    return view;
  }

  /** Clears the goal's storage (see `clearStorage`) and closes its live sockets. */
  async destroy(tenant: string): Promise<boolean> {
    const deleted = await clearStorage(this.#instance, tenant);
    if (deleted) closeAll(this.ctx);
    return deleted;
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

  /** A spec version the goal ran with: the current one, or one its kept history ran with. */
  async specAt(tenant: string, version: number): Promise<GoalSpec | null> {
    const meta = await metaOf(this.#instance, tenant);
    if (!meta) return null;
    if (version === meta.specVersion) return meta.spec;
    return (await this.ctx.storage.get<GoalSpec>(keys.spec(version))) ?? null;
  }

  /** A ticket that opens one live socket for key `keyId` (see `live.ts`); null for no goal of `tenant`'s. */
  async liveTicket(
    tenant: string,
    keyId: string,
  ): Promise<{ ticket: string; expiresAt: number } | null> {
    if (!(await metaOf(this.#instance, tenant))) return null;
    return issueTicket(this.ctx.storage, Date.now(), keyId);
  }

  /** The live channel's upgrade, with a ticket (the Worker forwards `/live/goals/:id` here). */
  override async fetch(request: Request): Promise<Response> {
    return openSocket(this.#instance, request);
  }

  /**
   * Watchers send nothing but `ping`, which the runtime answers without waking
   * the object: anything else (text, binary, any size) closes that socket (1003),
   * so a watcher cannot keep the object awake by sending.
   */
  override async webSocketMessage(socket: WebSocket): Promise<void> {
    refuseMessage(socket);
  }

  override async webSocketClose(socket: WebSocket, code: number): Promise<void> {
    try {
      socket.close(code === 1005 || code === 1006 ? 1000 : code, "closed");
    } catch {
      // already closed
    }
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
    const outcome = await takeDecision(this.#instance, meta, key, decision, by, reason);
    if (outcome.kind !== "missing" && watched(this.ctx)) {
      await broadcastGoal(this.#instance, await readView(this.ctx.storage, meta));
    }
    return outcome;
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
}
