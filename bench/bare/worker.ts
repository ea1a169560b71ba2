/**
 * The baseline for the cadence benchmark: a bare Durable Object alarm loop
 * that does one storage write per fire and nothing else, scheduling each
 * next fire the way goals do (now + period). It records how late each fire was.
 */
import { DurableObject } from "cloudflare:workers";

interface Env {
  LOOP: DurableObjectNamespace<BareLoop>;
}

export class BareLoop extends DurableObject<Env> {
  #lateness: number[] = [];
  #period = 1000;
  #scheduled = 0;

  async begin(period: number): Promise<void> {
    this.#period = period;
    this.#lateness = [];
    this.#scheduled = Date.now() + period;
    await this.ctx.storage.setAlarm(this.#scheduled);
  }

  async finish(): Promise<number[]> {
    await this.ctx.storage.deleteAlarm();
    return this.#lateness;
  }

  override async alarm(): Promise<void> {
    const now = Date.now();
    this.#lateness.push(now - this.#scheduled);
    await this.ctx.storage.put("fires", this.#lateness.length);
    this.#scheduled = now + this.#period;
    await this.ctx.storage.setAlarm(this.#scheduled);
  }
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const n = Number(url.searchParams.get("n") ?? 1);
    const stubs = Array.from({ length: n }, (_, i) => env.LOOP.getByName(`loop-${i}`));
    if (url.pathname === "/start") {
      await Promise.all(
        stubs.map((stub) => stub.begin(Number(url.searchParams.get("period") ?? 1000))),
      );
      return Response.json({ started: n });
    }
    if (url.pathname === "/finish") {
      const all = await Promise.all(stubs.map((stub) => stub.finish()));
      return Response.json({ lateness: all });
    }
    return new Response("not found", { status: 404 });
  },
};
