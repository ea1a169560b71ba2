/**
 * Checks made when a spec is registered (created or replaced), not when a
 * stored one is compiled again: a name of only white space, and a record
 * action's written-out collection or key that the /v1/records rule refuses
 * (every run of it would fail), are a 422 naming the path, nested spawned
 * specs included; a key that is a formula is judged when it renders.
 */
import { describe, expect, it } from "vitest";
import { call, goalTenant } from "../helpers.ts";

function spec(name: string, record: { collection: string; key: string }) {
  return {
    name,
    every: "1h",
    observe: { x: { from: "push" } },
    decide: { rules: [{ id: "r", when: "x > 1", do: "save" }] },
    act: { save: { record: { ...record, value: "=x" } } },
  };
}

const ok = { collection: "orders", key: "=concat('o-', cycle)" };

async function issues(key: string, body: unknown, method = "POST", path = "/v1/goals") {
  const res = await call(method, path, { key, body });
  expect(res.status, JSON.stringify(res.body)).toBe(422);
  expect(res.body.error.code).toBe("GOAL_INVALID");
  return (res.body.error.details.issues as { path: string; code: string }[]).map((i) => i.path);
}

describe("registration-only spec checks", () => {
  it("a name of only white space is a 422 at name, on create and on replace", async () => {
    const { key } = await goalTenant();
    for (const name of [" ", "\t\n", "\u00a0\u3000"]) {
      expect(await issues(key, spec(name, ok))).toEqual(["name"]);
    }
    const created = await call("POST", "/v1/goals", { key, body: spec(" x ", ok) });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(await issues(key, spec("  ", ok), "PUT", `/v1/goals/${id}`)).toEqual(["name"]);
    expect((await call("GET", `/v1/goals/${id}`, { key })).body.name).toBe(" x ");
  });

  it("a record action's written-out collection or key outside the records rule is a 422 naming it", async () => {
    const { key } = await goalTenant();
    expect(await issues(key, spec("g", { collection: "my orders", key: "k" }))).toEqual([
      "act.save.record.collection",
    ]);
    for (const bad of ["a b", "k ", "==k", "x".repeat(129)]) {
      expect(await issues(key, spec("g", { collection: "c", key: bad }))).toEqual([
        "act.save.record.key",
      ]);
    }
    const spawning = {
      ...spec("parent", ok),
      act: { child: { spawn: { spec: spec(" ", { collection: "c d", key: "k" }) } } },
      decide: { rules: [{ id: "r", when: "x > 1", do: "child" }] },
    };
    expect(await issues(key, spawning)).toEqual([
      "act.child.spawn.spec.name",
      "act.child.spawn.spec.act.save.record.collection",
    ]);
    // A formula key is judged when it renders; written-out keys within the rule are fine.
    for (const fine of [ok.key, "k", "a.b-c_d", "x".repeat(128)]) {
      const res = await call("POST", "/v1/goals", {
        key,
        body: spec("g", { collection: "c", key: fine }),
      });
      expect([fine, res.status]).toEqual([fine, 201]);
      await call("DELETE", `/v1/goals/${res.body.id}`, { key });
    }
  });
});
