/**
 * Replay through the API reproduces a live goal's receipts exactly: every
 * cycle (push, alarm, act), its trigger, observations with their own times,
 * verdicts and planned actions, across a spec change too; and a changed spec
 * runs the same inputs ("what if").
 */
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { cycles, type Receipt } from "../faults/helpers.ts";
import { call, eventually, goalTenant, seenBy } from "../helpers.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function spec(url: string, threshold = 5) {
  return {
    name: "held",
    every: "1h",
    observe: { x: { from: "push" } },
    orient: { avg: "mean(history.x)" },
    decide: { rules: [{ id: "hold", when: `x > ${threshold}`, for: "1s", do: "hook" }] },
    act: { hook: { webhook: url, body: { x: "=x", avg: "=avg" } } },
  };
}

type Replayed = {
  cycle: number;
  trigger: string;
  actions: { key: string }[];
  verdicts: { status: string }[];
};

describe("replay", () => {
  it("reproduces the recorded cycles exactly, push, alarm and act alike, and across a spec change", async () => {
    const { key } = await goalTenant();
    const path = `/ok/${crypto.randomUUID()}`;
    const url = `${env.TEST_RECEIVER}${path}`;
    const created = await call("POST", "/v1/goals", { key, body: spec(url) });
    const id = created.body.id as string;
    const stub = env.GOAL.getByName(id);
    const push = (x: number, at?: number) =>
      call("POST", `/v1/goals/${id}/observations`, {
        key,
        body: { name: "x", value: x, ...(at === undefined ? {} : { at }) },
      });

    await push(9);
    await sleep(1100);
    await runDurableObjectAlarm(stub); // the `for` has held: it fires
    await eventually(async () => ((await seenBy(path)).length > 0 ? true : undefined));
    await eventually(async () =>
      (await cycles(key, id)).some((r) => r.trigger === "act") ? true : undefined,
    );
    await push(7, Date.now() - 5000); // a late observation, with its own time
    await call("PUT", `/v1/goals/${id}`, { key, body: spec(url, 8) });
    await push(10);
    await runDurableObjectAlarm(stub);
    await push(3);

    // Every planned action's result has come back (through the queue, as an
    // act cycle) before the log is read, so no act cycle lands between reading
    // the receipts and replaying them.
    const stored: Receipt[] = await eventually(async () => {
      const trail = await cycles(key, id);
      const planned = new Set(trail.flatMap((r) => (r.actions ?? []).map((a) => a.key)));
      const back = new Set(trail.flatMap((r) => (r.act_results ?? []).map((a) => a.key)));
      return [...planned].every((k) => back.has(k)) ? trail : undefined;
    });
    expect(new Set(stored.map((r) => r.trigger))).toEqual(new Set(["alarm", "push", "act"]));
    const replayed = await call("POST", `/v1/goals/${id}/replay`, { key, body: {} });
    expect(replayed.status).toBe(200);
    expect(replayed.body.compared).toEqual({ receipts: stored.length, differing: [] });
    const cyclesBack = replayed.body.cycles as Replayed[];
    expect(cyclesBack.map((r) => [r.cycle, r.trigger])).toEqual(
      stored.map((r) => [r.cycle, r.trigger]),
    );
    expect(cyclesBack.flatMap((r) => r.actions.map((a) => a.key))).toEqual(
      stored.flatMap((r) => (r.actions ?? []).map((a) => a.key)),
    );
    expect(cyclesBack.flatMap((r) => r.actions)).not.toEqual([]);
    for (const [i, receipt] of stored.entries()) {
      const { polls: _p, duration_ms: _d, ...rest } = receipt as Receipt & { duration_ms?: number };
      expect(cyclesBack[i]).toEqual(rest);
    }

    // What if the threshold had been 20: the same cycles run, and nothing fires.
    const whatIf = await call("POST", `/v1/goals/${id}/replay`, {
      key,
      body: { spec: spec(url, 20) },
    });
    expect(whatIf.status).toBe(200);
    expect(whatIf.body.compared).toBeUndefined();
    const alt = whatIf.body.cycles as Replayed[];
    expect(alt.map((r) => [r.cycle, r.trigger])).toEqual(stored.map((r) => [r.cycle, r.trigger]));
    expect(alt.flatMap((r) => r.actions)).toEqual([]);
  }, 20_000);

  it("an invalid what-if spec is a 422 naming the field", async () => {
    const { key } = await goalTenant();
    const created = await call("POST", "/v1/goals", { key, body: spec("https://h.example/") });
    const id = created.body.id as string;
    const res = await call("POST", `/v1/goals/${id}/replay`, {
      key,
      body: { spec: { ...spec("https://h.example/"), orient: { avg: "mean(" } } },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("GOAL_INVALID");
    expect(res.body.error.details.issues[0].path).toBe("orient.avg");
  });
});
