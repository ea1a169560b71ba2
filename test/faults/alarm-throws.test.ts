/**
 * Fault: the goal's alarm handler throws. Two real causes: a formula the
 * spec calls was deleted and the object restarted (its compiled spec is gone,
 * recompiling fails), and a corrupt stored loop state (the cycle itself
 * throws). Each must leave a fault receipt with the error, back off, keep the
 * alarm armed, keep what was pushed meanwhile, and recover once fixed.
 */
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { GoalState } from "../../src/cycle/index.ts";
import { backoffMs } from "../../src/goal/goal-object.ts";
import { call, eventually, goalTenant } from "../helpers.ts";
import {
  armed,
  cycles,
  newGoal,
  observedValues,
  push,
  type Receipt,
  receiptWhere,
} from "./helpers.ts";

const EVERY_MS = 60_000;

const faults = (trail: Receipt[]) => trail.filter((r) => r.fault !== undefined);

/** The latest fault: its error, its backoff, and the alarm armed for its retry. */
async function expectLatestFault(
  key: string,
  id: string,
  stub: DurableObjectStub,
  message: RegExp,
) {
  const alarm = await armed(stub);
  const latest = faults(await cycles(key, id)).at(-1);
  const fault = latest?.fault;
  if (!latest || !fault) throw new Error("no fault receipt");
  expect(fault.message).toMatch(message);
  expect(Date.parse(fault.retry_at) - Date.parse(latest.at)).toBe(
    backoffMs(fault.failures, EVERY_MS),
  );
  expect(alarm).toBe(Date.parse(fault.retry_at));
  const view = (await call("GET", `/v1/goals/${id}`, { key })).body;
  expect(view).toMatchObject({ failures: fault.failures, last_fault: { message: fault.message } });
  return fault;
}

describe("a cycle whose alarm handler throws", () => {
  it("a formula the spec calls is gone: faults with backoff, keeps pushes, recovers", async () => {
    const owner = await goalTenant();
    const tax = { expr: "price * 1.2", params: ["price"] };
    expect((await call("PUT", "/v1/formulas/tax", { key: owner.key, body: tax })).status).toBe(201);
    const spec = {
      name: "priced",
      every: "1m",
      observe: { price: { from: "push" } },
      orient: { gross: "fn.tax(price)" },
      decide: { rules: [{ id: "high", when: "gross > 100", cooldown: "1h", do: "save" }] },
      act: { save: { record: { collection: "alerts", key: "high", value: "=gross" } } },
    };
    const { key, id, stub } = await newGoal(spec, owner);
    await push(key, id, "price", 50);
    await receiptWhere(key, id, (r) => r.oriented?.gross === 60);

    // The compiled spec lives in memory: delete the formula, then restart the object.
    expect((await call("DELETE", "/v1/formulas/tax", { key })).status).toBe(204);
    await evictDurableObject(stub);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const first = await expectLatestFault(key, id, stub, /no longer compiles.*tax/);
    expect(first.failures).toBe(1);

    await push(key, id, "price", 90); // arrives during the fault
    await armed(stub); // whether the push woke it or not, nothing is running now
    await runDurableObjectAlarm(stub);
    const later = await expectLatestFault(key, id, stub, /no longer compiles/);
    expect(later.failures).toBeGreaterThan(1);

    expect((await call("PUT", "/v1/formulas/tax", { key, body: tax })).status).toBe(201);
    await runDurableObjectAlarm(stub);
    const healed = (await call("GET", `/v1/goals/${id}`, { key })).body;
    expect(healed).toMatchObject({ failures: 0, oriented: { gross: 108 } });
    const trail = await cycles(key, id);
    expect(observedValues(trail, "price")).toEqual([50, 90]);
    expect(trail.at(-1)?.verdicts?.[0]).toMatchObject({ rule: "high", status: "matched" });
    const record = await eventually(async () => {
      const r = await call("GET", "/v1/records/alerts/high", { key });
      return r.status === 200 ? r.body : undefined;
    });
    expect(record).toMatchObject({ value: 108, version: 1 });
    expect(await armed(stub)).toBeGreaterThan(Date.now());
  });

  it("a corrupt stored state: the cycle throws, pushes wait in the inbox, a fixed state applies them", async () => {
    const spec = {
      name: "levels",
      every: "1m",
      observe: { level: { from: "push" } },
      decide: { rules: [{ id: "hot", when: "level > 10", cooldown: "1h", do: "note" }] },
      act: { note: { record: { collection: "notes", key: "hot", value: "=level" } } },
    };
    const { key, id, stub } = await newGoal(spec);
    await push(key, id, "level", 3);
    await receiptWhere(key, id, (r) => observedValues([r], "level").length > 0);

    const saved = await runInDurableObject(stub, async (_i, state: DurableObjectState) => {
      const s = (await state.storage.get<GoalState>("state")) as GoalState;
      await state.storage.put("state", { ...s, latest: null });
      return s;
    });
    await evictDurableObject(stub); // the object reads the corrupt state on its next cycle
    await push(key, id, "level", 12); // wakes the goal at once: the cycle throws
    await eventually(async () => (faults(await cycles(key, id)).length > 0 ? true : undefined));
    await expectLatestFault(key, id, stub, /null/);
    expect(faults(await cycles(key, id))[0]?.fault?.error).toBe("TypeError");

    await runInDurableObject(stub, (_i, state: DurableObjectState) =>
      state.storage.put("state", saved),
    );
    await evictDurableObject(stub);
    await runDurableObjectAlarm(stub);
    expect((await call("GET", `/v1/goals/${id}`, { key })).body).toMatchObject({
      failures: 0,
      latest: { level: { value: 12 } },
    });
    const trail = await cycles(key, id);
    expect(observedValues(trail, "level")).toEqual([3, 12]);
    const acting = trail.filter((r) => (r.actions ?? []).length > 0);
    expect(acting).toHaveLength(1);
    const record = await eventually(async () => {
      const r = await call("GET", "/v1/records/notes/hot", { key });
      return r.status === 200 ? r.body : undefined;
    });
    expect(record).toMatchObject({ value: 12, version: 1 });
    expect(await armed(stub)).toBeGreaterThan(Date.now());
  });
});
