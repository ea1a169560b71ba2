import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { GoalState } from "../../src/cycle/index.ts";
import { COPY_DELAY_MS } from "../../src/goal/sender.ts";
import { call, eventually, goalTenant } from "../helpers.ts";
import { storeRows } from "../store-sql.ts";

const spec = (every: string) => ({
  name: "watch",
  every,
  observe: { level: { from: "push" } },
  orient: { high: "level > 10" },
  decide: { rules: [{ id: "hot", when: "high", for: "1h", do: "note" }] },
  act: { note: { record: { collection: "notes", key: "hot", value: "=level" } } },
});

async function newGoal(every = "1h") {
  const { key } = await goalTenant();
  const created = await call("POST", "/v1/goals", { key, body: spec(every) });
  const id = created.body.id as string;
  await eventually(async () =>
    (await call("GET", `/v1/goals/${id}`, { key })).body.cycle >= 1 ? true : undefined,
  );
  return { key, id, stub: env.GOAL.getByName(id) };
}

const cycles = async (key: string, id: string) =>
  (await call("GET", `/v1/goals/${id}/cycles?limit=200`, { key })).body.cycles;

const alarmOf = (stub: DurableObjectStub) =>
  runInDurableObject(stub, (_i, state) => state.storage.getAlarm());

/** The cycles of goal `id` copied to D1. */
async function copied(id: string): Promise<number[]> {
  const results = await storeRows<{ cycle: number }>(
    "SELECT cycle FROM cycles WHERE goal_id = ? ORDER BY 1",
    [id],
  );
  return results.map((r) => r.cycle);
}

/**
 * Runs the early alarm that writes the D1 copies of acting cycles (due
 * COPY_DELAY_MS after the first of them), unless it fired on its own already.
 */
async function writeCopies(stub: DurableObjectStub, id: string, expected: number[]) {
  const alarm = await alarmOf(stub);
  if (alarm !== null && alarm <= Date.now() + COPY_DELAY_MS) await runDurableObjectAlarm(stub);
  await eventually(async () => ((await copied(id)).length === expected.length ? true : undefined));
  expect(await copied(id)).toEqual(expected);
}

describe("the goal's alarm", () => {
  it("runs a cycle at the cadence and re-arms one period ahead", async () => {
    const { key, id, stub } = await newGoal("1h");
    await writeCopies(stub, id, [1]); // the first cycle decided something: no cycle ran for it
    expect(await cycles(key, id)).toHaveLength(1);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const trail = await cycles(key, id);
    expect(trail.at(-1)).toMatchObject({ cycle: 2, trigger: "alarm", missed: 0 });
    const alarm = await runInDurableObject(stub, (_i, state) => state.storage.getAlarm());
    expect(alarm).toBeGreaterThan(Date.now() + 3500_000);
  });

  it("a failing cycle is recorded as a fault, backs off, and the alarm is re-armed", async () => {
    const { key, id, stub } = await newGoal("2s");
    const saved = await runInDurableObject(stub, async (_i, state) => {
      const s = await state.storage.get<GoalState>("state");
      await state.storage.delete("state");
      return s;
    });
    await evictDurableObject(stub); // a restart: the object reads its storage again
    const before = Date.now();
    await runDurableObjectAlarm(stub);
    const fault = (await cycles(key, id)).at(-1);
    expect(fault.fault).toMatchObject({ failures: 1, message: "goal state is missing" });
    const alarm = await runInDurableObject(stub, (_i, state) => state.storage.getAlarm());
    expect(alarm).toBeGreaterThanOrEqual(before + 2000);
    expect((await call("GET", `/v1/goals/${id}`, { key })).body).toMatchObject({
      failures: 1,
      last_fault: { message: "goal state is missing" },
    });

    await runDurableObjectAlarm(stub);
    const second = (await cycles(key, id)).at(-1);
    expect(second.fault.failures).toBe(2);
    expect(Date.parse(second.fault.retry_at) - Date.parse(second.at)).toBe(4000);

    await runInDurableObject(stub, (_i, state) => state.storage.put("state", saved));
    await evictDurableObject(stub);
    await runDurableObjectAlarm(stub);
    const healed = await call("GET", `/v1/goals/${id}`, { key });
    expect(healed.body.failures).toBe(0);
    expect(healed.body.cycle).toBe((saved?.cycle ?? 0) + 1);
    expect(await runInDurableObject(stub, (_i, state) => state.storage.getAlarm())).not.toBeNull();
  });

  it("a late alarm runs once, counts the missed periods, and continues from now", async () => {
    const { key, id, stub } = await newGoal("1m");
    await runInDurableObject(stub, async (_i, state) => {
      const s = (await state.storage.get<GoalState>("state")) as GoalState;
      await state.storage.put("state", { ...s, lastAlarmAt: Date.now() - 5 * 60_000 - 1000 });
    });
    await evictDurableObject(stub);
    await runDurableObjectAlarm(stub);
    const trail = await cycles(key, id);
    expect(trail.at(-1)).toMatchObject({ trigger: "alarm", missed: 4 });
    expect(trail.filter((c: { trigger: string }) => c.trigger === "alarm")).toHaveLength(2);
    const alarm = await runInDurableObject(stub, (_i, state) => state.storage.getAlarm());
    expect(alarm).toBeGreaterThan(Date.now() + 50_000);
    expect(alarm).toBeLessThanOrEqual(Date.now() + 60_000);
  });

  it("a push's cycle has run when the push is answered; the alarm keeps the cadence", async () => {
    const { key, id, stub } = await newGoal("1h");
    const pushed = await call("POST", `/v1/goals/${id}/observations`, {
      key,
      body: { name: "level", value: 4 },
    });
    expect(pushed.status).toBe(202);
    // The cycle runs in the push's own invocation and commits with it: no wait, no alarm.
    const trail = await cycles(key, id);
    expect(trail.map((r: { cycle: number; trigger: string }) => [r.cycle, r.trigger])).toEqual([
      [1, "alarm"],
      [2, "push"],
    ]);
    expect(trail[1].observed.level).toMatchObject([{ value: 4 }]);
    // The alarm comes early only to write both cycles' D1 copies in one go, and runs no cycle;
    // the next cycle is still an hour after the first.
    expect(await alarmOf(stub)).toBeLessThanOrEqual(Date.parse(trail[0].at) + COPY_DELAY_MS);
    await writeCopies(stub, id, [1, 2]);
    expect(await cycles(key, id)).toHaveLength(2);
    expect(await alarmOf(stub)).toBe(Date.parse(trail[0].at) + 3600_000);
  });

  it("pushes that arrive during a cycle join the next: every value is applied exactly once", async () => {
    const { key, id } = await newGoal("1h");
    const values = Array.from({ length: 12 }, (_, i) => 100 + i);
    const answers = await Promise.all(
      values.map((value) =>
        call("POST", `/v1/goals/${id}/observations`, { key, body: { name: "level", value } }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(values.map(() => 202));
    const trail = await eventually(async () => {
      const t = await cycles(key, id);
      const seen = t.flatMap((r: { observed: { level?: { value: number }[] } }) =>
        (r.observed.level ?? []).map((o) => o.value),
      );
      return seen.length >= values.length ? { t, seen } : undefined;
    });
    expect([...trail.seen].sort((a, b) => a - b)).toEqual(values);
    const pushCycles = trail.t.filter((r: { trigger: string }) => r.trigger === "push");
    expect(pushCycles.length).toBeGreaterThan(0);
    expect(pushCycles.length).toBeLessThanOrEqual(values.length);
    // No cadence cycle ran early on the way (the cadence is an hour).
    expect(trail.t.filter((r: { trigger: string }) => r.trigger === "alarm")).toHaveLength(1);
  });

  it("pause clears the alarm and keeps pushes; resume re-arms and applies them", async () => {
    const { key, id, stub } = await newGoal("1h");
    const waiting = (await copied(id)).length === 0; // the first cycle's D1 copy, due in a second
    expect((await call("POST", `/v1/goals/${id}/pause`, { key })).body.status).toBe("paused");
    expect(await runInDurableObject(stub, (_i, state) => state.storage.getAlarm())).toBeNull();
    // With no alarm to come for it, the pause wrote it.
    if (waiting) expect(await copied(id)).toEqual([1]);
    await call("POST", `/v1/goals/${id}/observations`, { key, body: { name: "level", value: 3 } });
    expect(await runInDurableObject(stub, (_i, state) => state.storage.getAlarm())).toBeNull();
    expect((await call("GET", "/v1/goals", { key })).body.goals[0].status).toBe("paused");

    const resumed = await call("POST", `/v1/goals/${id}/resume`, { key });
    expect(resumed.body.status).toBe("active");
    const goal = await eventually(async () => {
      const g = await call("GET", `/v1/goals/${id}`, { key });
      return g.body.latest.level ? g.body : undefined;
    });
    expect(goal.latest.level.value).toBe(3);
  });

  it("delete clears the alarm and every stored byte but the time of the deletion", async () => {
    const { key, id, stub } = await newGoal("1h");
    const before = Date.now();
    expect((await call("DELETE", `/v1/goals/${id}`, { key })).status).toBe(204);
    const left = await runInDurableObject(stub, async (_i, state) => ({
      alarm: await state.storage.getAlarm(),
      keys: [...(await state.storage.list()).keys()],
      deleted: await state.storage.get<number>("deleted"),
    }));
    expect(left).toMatchObject({ alarm: null, keys: ["deleted"] });
    expect(left.deleted).toBeGreaterThanOrEqual(before);
    expect((await call("GET", `/v1/goals/${id}`, { key })).status).toBe(404);
  });
});
