/**
 * A goal's sends, as its Durable Object runs them: what a cycle left in the
 * outbox goes out at once, except the D1 copies of receipts, which wait up to
 * COPY_DELAY_MS so a busy goal writes them together in one D1 batch, after
 * the sends that matter sooner. Whatever is still waiting after a restart or
 * a fault goes with the next flush, which lists the outbox.
 *
 * A send that fails fails the pass (a fault receipt, then backoff), and is
 * tried again with the next one; one that cannot succeed (an action message
 * larger than the queue takes), or fails `MAX_SEND_ATTEMPTS` times in a row,
 * is given up, so no entry can hold the goal back for ever: an action given
 * up comes back to the goal as its result (`error`, with why), anything else
 * is dropped with an error log line (the goal's own storage keeps receipts
 * and approvals; only their D1 copies are lost).
 */
import type { ActResult } from "../cycle/index.ts";
import { describeError, log } from "../observability/log.ts";
import type { ActionMessage } from "../queues.ts";
import { type Flushed, flushCopies, flushOutbox, isCopy } from "./outbox.ts";
import type { GoalMeta } from "./store.ts";

/** How long the D1 copy of an acting cycle may wait for others to go with it. */
export const COPY_DELAY_MS = 1000;

/** Failed sends of one entry, in a row, before it is given up. */
export const MAX_SEND_ATTEMPTS = 8;

/** Receives the results of actions given up (they could not be queued). */
export type GiveUp = (meta: GoalMeta, results: ActResult[]) => Promise<void>;

export class Sender {
  readonly #storage: DurableObjectStorage;
  readonly #env: Env;
  readonly #giveUp: GiveUp;
  /**
   * Whether the outbox may hold entries beyond those a cycle just wrote.
   * Kept in memory to spare a quiet cycle a storage listing; "maybe" after
   * every (re)start.
   */
  #maybe = true;
  /** When the D1 copies this instance left waiting are due (undefined: none it knows of). */
  #copiesAt: number | undefined;
  /** Failed sends in a row, per outbox key (this instance's). */
  readonly #attempts = new Map<string, number>();

  constructor(storage: DurableObjectStorage, env: Env, giveUp: GiveUp) {
    this.#storage = storage;
    this.#env = env;
    this.#giveUp = giveUp;
  }

  /** When the waiting D1 copies are due, if any wait. */
  get copiesAt(): number | undefined {
    return this.#copiesAt;
  }

  /** After a fault: anything may be waiting, so the next flush lists the outbox. */
  unsure(): void {
    this.#maybe = true;
  }

  /**
   * Counts the failures of a flush, gives up the entries that cannot or
   * did not go out too often, and throws the first failure left.
   */
  async #settle(meta: GoalMeta, flushed: Flushed): Promise<number> {
    for (const key of flushed.sent) this.#attempts.delete(key);
    const abandoned: Flushed["failed"] = [];
    let left: unknown;
    for (const failure of flushed.failed) {
      const attempts = (this.#attempts.get(failure.key) ?? 0) + 1;
      this.#attempts.set(failure.key, attempts);
      if (failure.permanent || attempts >= MAX_SEND_ATTEMPTS) abandoned.push(failure);
      else left ??= failure.error;
    }
    if (abandoned.length > 0) await this.#abandon(meta, abandoned);
    if (left !== undefined) throw left;
    return flushed.actions;
  }

  async #abandon(meta: GoalMeta, failures: Flushed["failed"]): Promise<void> {
    const results: ActResult[] = [];
    for (const { key, value, error } of failures) {
      this.#attempts.delete(key);
      const { error: name, error_message } = describeError(error);
      log("error", "send_given_up", {
        goal: meta.id,
        tenant: meta.tenant,
        key,
        error: name,
        error_message,
      });
      if (!key.startsWith("outbox:action:")) continue;
      const { planned } = value as ActionMessage;
      results.push({
        action: planned.action,
        key: planned.key,
        status: "error",
        latency_ms: 0,
        attempt: 0,
        at: Date.now(),
        error: `could not be queued: ${error_message}`.slice(0, 500),
        chain: planned.chain,
      });
    }
    await this.#storage.delete(failures.map((failure) => failure.key));
    if (results.length > 0) await this.#giveUp(meta, results);
  }

  /**
   * Sends the outbox when it may hold anything; returns how many actions went
   * out. `fresh` is what a cycle just wrote: when nothing older can be
   * waiting, exactly those are sent, without listing storage.
   */
  async flush(meta: GoalMeta, fresh?: ReadonlyMap<string, unknown>): Promise<number> {
    if (!this.#maybe && !fresh) return 0;
    const known = this.#maybe ? undefined : fresh;
    this.#maybe = true; // until the sends succeed
    const sent = await this.#settle(meta, await flushOutbox(this.#storage, this.#env, meta, known));
    this.#maybe = false;
    return sent;
  }

  /**
   * Sends what a cycle left in the outbox (`fresh`). The D1 copies of an
   * active goal wait for a pass of copies; those of a goal that stopped go
   * now, with any still waiting.
   */
  async send(meta: GoalMeta, fresh: Map<string, unknown>, now: number): Promise<number> {
    if (meta.status !== "active") {
      if (this.#copiesAt !== undefined) this.#maybe = true;
      this.#copiesAt = undefined;
    } else {
      for (const key of fresh.keys()) {
        if (!isCopy(key)) continue;
        fresh.delete(key);
        this.#copiesAt ??= now + COPY_DELAY_MS;
      }
    }
    // Copies already due go beside this cycle's sends rather than wake the goal again.
    const due = this.#copiesAt !== undefined && this.#copiesAt <= now;
    const [sent] = await Promise.all([
      fresh.size > 0 ? this.flush(meta, fresh) : 0,
      due ? this.copy(meta, now) : undefined,
    ]);
    return sent;
  }

  /** Writes the waiting D1 copies: a pass's worth; any more stay due. */
  async copy(meta: GoalMeta, now: number): Promise<void> {
    if (this.#copiesAt === undefined) return;
    this.#copiesAt = undefined; // copies of cycles from here on set their own time
    const { flushed, more } = await flushCopies(this.#storage, this.#env, meta);
    await this.#settle(meta, flushed);
    if (more) this.#copiesAt ??= now + 1;
  }

  /** Writes every waiting D1 copy now; any that cannot be written go with a later flush. */
  async copyAll(meta: GoalMeta): Promise<void> {
    if (this.#copiesAt === undefined) return;
    this.#copiesAt = undefined;
    try {
      for (;;) {
        const { flushed, more } = await flushCopies(this.#storage, this.#env, meta);
        await this.#settle(meta, flushed);
        if (!more) break;
      }
    } catch (error) {
      this.#maybe = true;
      log("warn", "copies_not_written", {
        goal: meta.id,
        tenant: meta.tenant,
        ...describeError(error),
      });
    }
  }
}
