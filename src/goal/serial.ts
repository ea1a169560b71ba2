/**
 * A goal's cycles, one at a time. A cycle asked for while one is under way
 * does not start beside it: the run under way does one more when it ends, so
 * whatever arrived meanwhile joins that next cycle.
 */
export class CycleSerial {
  #running: Promise<void> | undefined;
  #again = false;
  #lastEnded = 0;
  readonly #cycle: (arrival: boolean) => Promise<void>;

  /** `cycle(arrival)` runs one cycle; `arrival`: started by something arriving, not the alarm. */
  constructor(cycle: (arrival: boolean) => Promise<void>) {
    this.#cycle = cycle;
  }

  /** For an arrival: starts a run now (returned), or has the run under way do one more. */
  soon(): Promise<void> | undefined {
    if (!this.#running) return this.run(true);
    this.#again = true;
    return undefined;
  }

  /** Waits out the run under way, if any; whether a run ended at or after `since`. */
  async settle(since: number): Promise<boolean> {
    while (this.#running) await this.#running.catch(() => undefined);
    return this.#lastEnded >= since;
  }

  /** Starts a run now (call `settle` first); should one have started meanwhile, it does one more. */
  run(arrival: boolean): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = this.#run(arrival);
    return this.#running;
  }

  /** Whether the run under way will do another cycle after this one. */
  get again(): boolean {
    return this.#again;
  }

  async #run(arrival: boolean): Promise<void> {
    this.#again = false;
    try {
      await this.#cycle(arrival);
      while (this.#again) {
        this.#again = false;
        await this.#cycle(true);
      }
    } finally {
      this.#running = undefined;
      this.#lastEnded = Date.now();
    }
  }
}
