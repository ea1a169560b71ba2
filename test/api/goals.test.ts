import { describe, expect, it } from "vitest";
import { call, createKey, eventually, goalTenant } from "../helpers.ts";

const base = {
  name: "g",
  every: "1h",
  observe: { x: { from: "push" } },
  orient: { avg: "mean(history.x)" },
  decide: { rules: [{ id: "big", when: "x > 10", do: "note" }] },
  act: { note: { record: { collection: "c", key: "k", value: "=x" } } },
};

async function cycleAtLeast(key: string, id: string, n: number) {
  return eventually(async () => {
    const g = await call("GET", `/v1/goals/${id}`, { key });
    return g.body.cycle >= n ? g.body : undefined;
  });
}

describe("the goals API", () => {
  it("a bad formula is a 422 naming the field, with the formula error and position", async () => {
    const { key } = await goalTenant();
    const res = await call("POST", "/v1/goals", {
      key,
      body: { ...base, orient: { avg: "avg(history.x)" } },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("GOAL_INVALID");
    const issue = res.body.error.details.issues[0];
    expect(issue).toMatchObject({
      path: "orient.avg",
      code: "FORMULA_UNKNOWN_FUNCTION",
      position: { line: 1, column: 1 },
    });
    expect(issue.hint).toContain("mean");
  });

  it("an orient cycle, an unknown action and a bad duration are each named", async () => {
    const { key } = await goalTenant();
    const res = await call("POST", "/v1/goals", {
      key,
      body: {
        ...base,
        every: "soon",
        orient: { a: "b + 1", b: "a + 1" },
        decide: { rules: [{ id: "r", when: "a > 1", do: "nothing" }] },
      },
    });
    expect(res.status).toBe(422);
    const paths = res.body.error.details.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(["every"]));
    const again = await call("POST", "/v1/goals", {
      key,
      body: {
        ...base,
        orient: { a: "b + 1", b: "a + 1" },
        decide: { rules: [{ id: "r", when: "a > 1", do: "nothing" }] },
      },
    });
    const codes = again.body.error.details.issues.map((i: { code: string }) => i.code);
    expect(codes).toEqual(expect.arrayContaining(["ORIENT_CYCLE"]));
    expect(again.body.error.details.issues.map((i: { path: string }) => i.path)).toEqual(
      expect.arrayContaining(["decide.rules.0.do"]),
    );
  });

  it("an oversized spec is 413, and a body that is not JSON is 400", async () => {
    const { key } = await goalTenant();
    const big = await call("POST", "/v1/goals", {
      key,
      body: { ...base, params: { blob: "x".repeat(70_000) } },
    });
    expect(big.status).toBe(413);
    expect((await call("POST", "/v1/goals", { key, body: "{" })).status).toBe(400);
  });

  it("another tenant's goal is a 404 on every route", async () => {
    const owner = await goalTenant();
    const stranger = await goalTenant();
    const id = (await call("POST", "/v1/goals", { key: owner.key, body: base })).body.id;
    for (const [method, path, body] of [
      ["GET", `/v1/goals/${id}`, undefined],
      ["PUT", `/v1/goals/${id}`, base],
      ["POST", `/v1/goals/${id}/pause`, undefined],
      ["POST", `/v1/goals/${id}/observations`, { name: "x", value: 1 }],
      ["GET", `/v1/goals/${id}/cycles`, undefined],
      ["POST", `/v1/goals/${id}/replay`, {}],
      ["DELETE", `/v1/goals/${id}`, undefined],
    ] as const) {
      expect(
        (await call(method, path, { key: stranger.key, body })).status,
        `${method} ${path}`,
      ).toBe(404);
    }
    expect((await call("GET", "/v1/goals", { key: stranger.key })).body.goals).toEqual([]);
    expect((await call("GET", `/v1/goals/${id}`, { key: owner.key })).status).toBe(200);
  });

  it("an observe-only key can push but not read or change goals", async () => {
    const { tenant, key } = await goalTenant();
    const id = (await call("POST", "/v1/goals", { key, body: base })).body.id;
    const observer = await createKey(tenant, ["observe"]);
    expect(
      (
        await call("POST", `/v1/goals/${id}/observations`, {
          key: observer,
          body: { name: "x", value: 1 },
        })
      ).status,
    ).toBe(202);
    expect((await call("GET", `/v1/goals/${id}`, { key: observer })).status).toBe(403);
    expect((await call("DELETE", `/v1/goals/${id}`, { key: observer })).status).toBe(403);
  });

  it("a repeated Idempotency-Key is accepted once: the observation is not counted twice", async () => {
    const { key } = await goalTenant();
    const id = (await call("POST", "/v1/goals", { key, body: base })).body.id;
    await cycleAtLeast(key, id, 1);
    const headers = { "idempotency-key": "order-17" };
    const first = await call("POST", `/v1/goals/${id}/observations`, {
      key,
      headers,
      body: {
        observations: [
          { name: "x", value: 1 },
          { name: "x", value: 2 },
        ],
      },
    });
    const again = await call("POST", `/v1/goals/${id}/observations`, {
      key,
      headers,
      body: {
        observations: [
          { name: "x", value: 1 },
          { name: "x", value: 2 },
        ],
      },
    });
    expect(first.body).toEqual({ accepted: 2, ignored: [], duplicate: false });
    // The goal answers the repeat from the key it kept with the observations.
    expect(again.body).toEqual({ accepted: 2, ignored: [], duplicate: true });
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    await call("POST", `/v1/goals/${id}/observations`, { key, body: { values: { x: 3 } } });
    const goal = await eventually(async () => {
      const g = (await call("GET", `/v1/goals/${id}`, { key })).body;
      return g.latest.x?.value === 3 ? g : undefined;
    });
    expect(goal.oriented.avg).toBe(2);
  });

  it("PUT makes a new spec version and keeps history under surviving names", async () => {
    const { key } = await goalTenant();
    const id = (await call("POST", "/v1/goals", { key, body: base })).body.id;
    await call("POST", `/v1/goals/${id}/observations`, { key, body: { name: "x", value: 4 } });
    await eventually(async () =>
      (await call("GET", `/v1/goals/${id}`, { key })).body.latest.x ? true : undefined,
    );
    const put = await call("PUT", `/v1/goals/${id}`, {
      key,
      body: { ...base, name: "g2", orient: { total: "sum(history.x)" } },
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ spec_version: 2, name: "g2" });
    await call("POST", `/v1/goals/${id}/observations`, { key, body: { name: "x", value: 6 } });
    const goal = await eventually(async () => {
      const g = (await call("GET", `/v1/goals/${id}`, { key })).body;
      return g.oriented.total === 10 ? g : undefined;
    });
    expect(goal.oriented.avg).toBeUndefined();
  });

  it("simulate runs a timeline with no side effects, the same every time", async () => {
    const { key } = await goalTenant();
    const body = {
      spec: { ...base, decide: { rules: [{ id: "big", when: "x > 10", for: "1m", do: "note" }] } },
      observations: [
        { at: 0, values: { x: 11 } },
        { at: 30_000, values: { x: 12 } },
        { at: 61_000, values: { x: 13 } },
      ],
    };
    const first = await call("POST", "/v1/goals/simulate", { key, body });
    expect(first.status).toBe(200);
    expect(
      first.body.cycles.map((c: { verdicts: { status: string }[] }) => c.verdicts[0]?.status),
    ).toEqual(["pending", "pending", "matched"]);
    expect(first.body.cycles[2].actions[0].payload).toEqual({
      collection: "c",
      key: "k",
      value: 13,
    });
    const second = await call("POST", "/v1/goals/simulate", { key, body });
    expect(second.body).toEqual(first.body);
    expect((await call("GET", "/v1/records/c/k", { key })).status).toBe(404);
  });

  it("replay runs the goal's recorded observations through a changed spec", async () => {
    const { key } = await goalTenant();
    const id = (await call("POST", "/v1/goals", { key, body: base })).body.id;
    // The first cycle runs at once, with nothing observed yet; the pushes come after it
    // (without this wait, whether they do depends on how fast the store answers).
    await cycleAtLeast(key, id, 1);
    for (const value of [5, 20]) {
      const before = (await call("GET", `/v1/goals/${id}`, { key })).body.cycle;
      await call("POST", `/v1/goals/${id}/observations`, { key, body: { name: "x", value } });
      await cycleAtLeast(key, id, before + 1);
    }
    const same = await call("POST", `/v1/goals/${id}/replay`, { key, body: {} });
    expect(
      same.body.cycles.map((c: { verdicts: { status: string }[] }) => c.verdicts[0]?.status),
    ).toEqual(["insufficient_data", "false", "matched"]);
    const whatIf = await call("POST", `/v1/goals/${id}/replay`, {
      key,
      body: { spec: { ...base, decide: { rules: [{ id: "big", when: "x > 1", do: "note" }] } } },
    });
    expect(
      whatIf.body.cycles.map((c: { verdicts: { status: string }[] }) => c.verdicts[0]?.status),
    ).toEqual(["insufficient_data", "matched", "matched"]);
  });
});
