/**
 * A spawned goal's end comes back to its parent as the second result
 * (attempt 2) of the spawn action: done is `ok`; deleted before it was done
 * is `failed`, so the parent never waits for a child that is gone.
 */
import { describe, expect, it } from "vitest";
import { call, eventually, goalTenant } from "../helpers.ts";

interface Applied {
  action: string;
  attempt: number;
  status: string;
  error?: string;
}

/** A parent whose rule spawns one child (that never ends by itself) on a push of `go`. */
const parentSpec = {
  name: "parent",
  every: "1h",
  observe: { go: { from: "push" } },
  decide: { rules: [{ id: "r", when: "go", cooldown: "1h", do: "child" }] },
  act: {
    child: { spawn: { spec: { name: "child", every: "1h", observe: { x: { from: "push" } } } } },
  },
};

/** The spawn action's results the parent applied, oldest first. */
async function spawnResults(key: string, parent: string): Promise<Applied[]> {
  const cycles = (await call("GET", `/v1/goals/${parent}/cycles?limit=50`, { key })).body
    .cycles as { act_results: Applied[] }[];
  return cycles.flatMap((c) => c.act_results).filter((r) => r.action === "child");
}

describe("a spawned goal's end, reported to its parent", () => {
  it("deleting a child that had not ended reports attempt 2 of the spawn as failed, saying so", async () => {
    const { key } = await goalTenant();
    const parent = (await call("POST", "/v1/goals", { key, body: parentSpec })).body.id as string;
    await call("POST", `/v1/goals/${parent}/observations`, {
      key,
      body: { name: "go", value: true },
    });
    const child = await eventually(async () => {
      const goals = (await call("GET", "/v1/goals", { key })).body.goals as {
        id: string;
        parent_id: string | null;
      }[];
      return goals.find((g) => g.parent_id === parent)?.id;
    });
    await eventually(async () =>
      (await spawnResults(key, parent)).some((r) => r.attempt === 1) ? true : undefined,
    );
    expect((await call("GET", `/v1/goals/${child}`, { key })).body.status).toBe("active");

    expect((await call("DELETE", `/v1/goals/${child}`, { key })).status).toBe(204);
    const second = await eventually(
      async () => (await spawnResults(key, parent)).find((r) => r.attempt === 2),
      3000,
    );
    expect(second).toMatchObject({ status: "failed", error: `goal ${child} was deleted` });
    const parentNow = (await call("GET", `/v1/goals/${parent}`, { key })).body;
    expect(parentNow.status).toBe("active");
  });
});
