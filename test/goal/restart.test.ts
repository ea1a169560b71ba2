import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { GoalState } from "../../src/cycle/index.ts";
import { call, eventually, goalTenant } from "../helpers.ts";

describe("a goal across a restart", () => {
  it("keeps its state, its `for` hold and its alarm when its object is evicted", async () => {
    const { key } = await goalTenant();
    const spec = {
      name: "hold",
      every: "1h",
      observe: { temp: { from: "push" } },
      decide: { rules: [{ id: "hot", when: "temp > 30", for: "10m", do: "cool" }] },
      act: { cool: { record: { collection: "hvac", key: "mode", value: "cool" } } },
    };
    const id = (await call("POST", "/v1/goals", { key, body: spec })).body.id;
    const stub = env.GOAL.getByName(id);
    await call("POST", `/v1/goals/${id}/observations`, { key, body: { name: "temp", value: 35 } });
    const pending = await eventually(async () => {
      const g = (await call("GET", `/v1/goals/${id}`, { key })).body;
      return g.verdicts[0]?.status === "pending" ? g : undefined;
    });
    const before = await runInDurableObject(stub, (_i, state) =>
      state.storage.get<GoalState>("state"),
    );
    const holdSince = before?.rules.hot?.pendingSince;
    expect(holdSince).toBeTypeOf("number");

    await evictDurableObject(stub);

    const after = await runInDurableObject(stub, (_i, state) =>
      state.storage.get<GoalState>("state"),
    );
    expect(after).toEqual(before);
    expect(await runInDurableObject(stub, (_i, state) => state.storage.getAlarm())).not.toBeNull();
    await call("POST", `/v1/goals/${id}/observations`, { key, body: { name: "temp", value: 36 } });
    const still = await eventually(async () => {
      const g = (await call("GET", `/v1/goals/${id}`, { key })).body;
      return g.cycle > pending.cycle ? g : undefined;
    });
    expect(still.verdicts[0].status).toBe("pending");
    const state = await runInDurableObject(stub, (_i, s) => s.storage.get<GoalState>("state"));
    expect(state?.rules.hot?.pendingSince).toBe(holdSince);
    expect(state?.history.temp?.map((h) => h.value)).toEqual([35, 36]);
  });
});
