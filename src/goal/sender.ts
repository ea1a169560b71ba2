/**
 * A goal's sends, as its Durable Object runs them: what a cycle left in the
 * outbox goes out at once, except the D1 copies of receipts, which wait up to
 * COPY_DELAY_MS so a busy goal writes them together in one D1 batch, after
 * the sends that matter sooner. Whatever is still waiting after a restart or
 * a fault goes with the next flush, which lists the outbox.
 */
import { describeError, log } from "../observability/log.ts";
import { flushCopies, flushOutbox, isCopy } from "./outbox.ts";
import type { GoalMeta } from "./store.ts";

/** How long the D1 copy of an acting cycle may wait for others to go with it. */
export const COPY_DELAY_MS = 1000;

export class Sender {
  readonly #storage: DurableObjectStorage;
  readonly #env: Env;
  /**
   * Whether the outbox may hold entries beyond those a cycle just wrote.
   * Kept in memory to spare a quiet cycle a storage listing; "maybe" after
   * every (re)start.
   */
  #maybe = true;
  /** When the D1 copies this instance left waiting are due (undefined: none it knows of). */
  #copiesAt: number | undefined;

  constructor(storage: DurableObjectStorage, env: Env) {
    this.#storage = storage;
    this.#env = env;
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
   * Sends the outbox when it may hold anything; returns how many actions went
   * out. `fresh` is what a cycle just wrote: when nothing older can be
   * waiting, exactly those are sent, without listing storage.
   */
  async flush(meta: GoalMeta, fresh?: ReadonlyMap<string, unknown>): Promise<number> {
    if (!this.#maybe && !fresh) return 0;
    const known = this.#maybe ? undefined : fresh;
    this.#maybe = true; // until the sends succeed
    const sent = await flushOutbox(this.#storage, this.#env, meta, known);
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
    if (await flushCopies(this.#storage, this.#env, meta)) this.#copiesAt ??= now + 1;
  }

  /** Writes every waiting D1 copy now; any that cannot be written go with a later flush. */
  async copyAll(meta: GoalMeta): Promise<void> {
    if (this.#copiesAt === undefined) return;
    this.#copiesAt = undefined;
    try {
      while (await flushCopies(this.#storage, this.#env, meta));
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
