import type { PassKind } from "./pass.ts";

/**
 * A goal's cycles, one at a time. A cycle asked for while one is under way
 * does not start beside it: the run under way does one more when it ends, so
 * whatever arrived meanwhile joins that next cycle.
 */
export class CycleSerial {
  #running: Promise<void> | undefined;
  #again = false;
  #lastEnded = 0;
  readonly #cycle: (kind: PassKind) => Promise<void>;

  /** `cycle(kind)` runs one pass. */
  constructor(cycle: (kind: PassKind) => Promise<void>) {
    this.#cycle = cycle;
  }

  /** For an arrival: starts a run now (returned), or has the run under way do one more. */
  soon(): Promise<void> | undefined {
    if (!this.#running) return this.run("arrival");
    this.#again = true;
    return undefined;
  }

  /** Waits out the run under way, if any; whether a run ended at or after `since`. */
  async settle(since: number): Promise<boolean> {
    while (this.#running) await this.#running.catch(() => undefined);
    return this.#lastEnded >= since;
  }

  /** Starts a run now (call `settle` first); should one have started meanwhile, it does one more. */
  run(kind: PassKind): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = this.#run(kind);
    return this.#running;
  }

  /** Whether the run under way will do another cycle after this one. */
  get again(): boolean {
    return this.#again;
  }

  async #run(kind: PassKind): Promise<void> {
    this.#again = false;
    try {
      await this.#cycle(kind);
      while (this.#again) {
        this.#again = false;
        await this.#cycle("arrival");
      }
    } finally {
      this.#running = undefined;
      this.#lastEnded = Date.now();
    }
  }
}
