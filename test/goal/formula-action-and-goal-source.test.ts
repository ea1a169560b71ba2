import { describe, expect, it } from "vitest";
import { call, eventually, goalTenant } from "../helpers.ts";

describe("a formula action and a goal source", () => {
  it("a formula action evaluates a registered formula and the goal observes its value", async () => {
    const { key } = await goalTenant();
    await call("PUT", "/v1/formulas/reorder_qty", {
      key,
      body: { expr: "max(0, target - stock)", params: ["stock", "target"] },
    });
    const spec = {
      name: "calc",
      every: "1h",
      observe: { stock: { from: "push" } },
      orient: { ordered: "coalesce(act.size.value, 0)" },
      decide: { rules: [{ id: "r", when: "stock < 10", cooldown: "1h", do: "size" }] },
      act: { size: { formula: { name: "reorder_qty", args: { stock: "=stock", target: 50 } } } },
    };
    const id = (await call("POST", "/v1/goals", { key, body: spec })).body.id;
    await call("POST", `/v1/goals/${id}/observations`, { key, body: { name: "stock", value: 8 } });
    const result = await eventually(async () => {
      const cycles = (await call("GET", `/v1/goals/${id}/cycles`, { key })).body.cycles as {
        act_results: { status: string }[];
      }[];
      return cycles.flatMap((c) => c.act_results)[0];
    });
    expect(result.status).toBe("ok");
    // The value comes back as act.size.value, which the next cycle's formulas read.
    const detail = await eventually(async () => {
      const g = (await call("GET", `/v1/goals/${id}`, { key })).body;
      return g.oriented.ordered === 42 ? g : undefined;
    });
    expect(detail.oriented.ordered).toBe(50 - 8);
  });

  it("a goal observes another goal's state, and never another tenant's", async () => {
    const { key } = await goalTenant();
    const stranger = await goalTenant();
    const watched = (
      await call("POST", "/v1/goals", {
        key,
        body: {
          name: "w",
          every: "1h",
          observe: { x: { from: "push" } },
          orient: { double: "x * 2" },
        },
      })
    ).body.id;
    await call("POST", `/v1/goals/${watched}/observations`, {
      key,
      body: { name: "x", value: 21 },
    });
    await eventually(async () =>
      (await call("GET", `/v1/goals/${watched}`, { key })).body.oriented.double === 42
        ? true
        : undefined,
    );

    const watcher = {
      name: "watcher",
      every: "1h",
      observe: { other: { from: "goal", goal: watched, path: "oriented.double" } },
    };
    const id = (await call("POST", "/v1/goals", { key, body: watcher })).body.id;
    const seen = await eventually(async () => {
      const g = (await call("GET", `/v1/goals/${id}`, { key })).body;
      return g.latest.other ? g : undefined;
    });
    expect(seen.latest.other.value).toBe(42);

    const spy = (
      await call("POST", "/v1/goals", { key: stranger.key, body: { ...watcher, name: "spy" } })
    ).body.id;
    const receipt = await eventually(async () => {
      const cycles = (await call("GET", `/v1/goals/${spy}/cycles`, { key: stranger.key })).body
        .cycles;
      return cycles.length > 0 ? cycles.at(-1) : undefined;
    });
    expect(receipt.polls.other).toMatchObject({ status: "failed", detail: `no goal ${watched}` });
    expect(receipt.observed.other).toBeUndefined();
  });
});
