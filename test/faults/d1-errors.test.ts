/**
 * Fault: D1 fails during a cycle. The table a write or read needs is renamed
 * away (each test file has its own D1, restored in `finally`): the D1 copy of
 * an acting cycle cannot be written, the spec's formulas cannot be read on a
 * restart, a metric source cannot be read, the action ledger cannot be read.
 * Each must be recorded (a fault receipt, or a failed poll), act once, lose
 * no push, keep the alarm armed, and catch up once D1 is back.
 */
import { evictDurableObject, runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { backoffMs } from "../../src/goal/goal-object.ts";
import { call, eventually, goalTenant } from "../helpers.ts";
import {
  alarmOf,
  armed,
  cycles,
  deliver,
  keyCounts,
  ledger,
  messageFor,
  newGoal,
  observedValues,
  push,
  type Receipt,
  receiptWhere,
  resultsFor,
} from "./helpers.ts";

/** Runs `during` with `table` missing from D1, then puts it back whatever happened. */
async function withoutTable<T>(table: string, during: () => Promise<T>): Promise<T> {
  await env.DB.exec(`ALTER TABLE ${table} RENAME TO ${table}_off`);
  try {
    return await during();
  } finally {
    await env.DB.exec(`ALTER TABLE ${table}_off RENAME TO ${table}`);
  }
}

const lastFault = async (key: string, id: string) =>
  (await cycles(key, id)).filter((r: Receipt) => r.fault).at(-1);

function notifySpec(path: string, approve = false) {
  return {
    name: "d1",
    every: "1m",
    observe: { stock: { from: "push" } },
    decide: { rules: [{ id: "low", when: "stock < 20", cooldown: "1h", do: "notify" }] },
    act: { notify: { webhook: `${env.TEST_RECEIVER}${path}`, body: { stock: "=stock" } } },
    ...(approve ? { guard: { approve: ["notify"] } } : {}),
  };
}

async function d1Cycles(id: string): Promise<number[]> {
  const { results } = await env.DB.prepare("SELECT cycle FROM cycles WHERE goal_id = ? ORDER BY 1")
    .bind(id)
    .all<{ cycle: number }>();
  return results.map((r) => r.cycle);
}

describe("D1 errors during a cycle", () => {
  it("the D1 copy of an acting cycle cannot be written: fault, action sent once, caught up later", async () => {
    const path = `/ok/${crypto.randomUUID()}`;
    const { key, id, stub } = await newGoal(notifySpec(path));
    await eventually(async () => ((await d1Cycles(id)).includes(1) ? true : undefined));

    const fault = await withoutTable("cycles", async () => {
      await push(key, id, "stock", 5); // cycle 2 decides, sends, then fails to write D1
      const first = await receiptWhere(key, id, (r) => r.fault !== undefined);
      expect(first.fault?.message).toMatch(/no such table: cycles/);
      expect(first.fault?.message).not.toMatch(/params|"observed"/); // not the receipt it wrote
      await push(key, id, "stock", 6); // during the fault: waits in the inbox
      await armed(stub);
      await runDurableObjectAlarm(stub);
      const alarm = await armed(stub);
      const latest = await lastFault(key, id);
      const retryAt = Date.parse(latest?.fault?.retry_at ?? "");
      expect(alarm).toBe(retryAt);
      expect(retryAt - Date.parse(latest?.at ?? "")).toBe(
        backoffMs(latest?.fault?.failures ?? 0, 60_000),
      );
      return latest?.fault;
    });
    expect(fault?.failures).toBeGreaterThan(1);
    const planned = (await cycles(key, id)).flatMap((r) => r.actions ?? [])[0];
    if (!planned) throw new Error("no action decided");
    // The action left the outbox before the D1 write failed: it went out once.
    await eventually(async () => ((await keyCounts(path))[planned.key] ? true : undefined));

    await runDurableObjectAlarm(stub);
    expect((await call("GET", `/v1/goals/${id}`, { key })).body.failures).toBe(0);
    expect(await d1Cycles(id)).toEqual(expect.arrayContaining([1, 2]));
    const trail = await eventually(async () => {
      const t = await cycles(key, id);
      return resultsFor(t, planned.key).length > 0 ? t : undefined;
    });
    expect(observedValues(trail, "stock")).toEqual([5, 6]);
    expect(trail.flatMap((r) => r.actions ?? [])).toHaveLength(1);
    expect(resultsFor(trail, planned.key)).toMatchObject([{ status: "ok" }]);
    expect(await keyCounts(path)).toEqual({ [planned.key]: { requests: 1, ok: 1 } });
    expect(await armed(stub)).toBeGreaterThan(Date.now());
  });

  it("a goal that finishes while D1 is down still reports done to its watchers once it is back", async () => {
    const owner = await goalTenant();
    const finisher = await newGoal(
      { name: "fin", every: "1m", observe: { x: { from: "push" } }, done: "x > 5" },
      owner,
    );
    const watch = { fin: { from: "goal", goal: finisher.id, path: "status" } };
    const watcher = await newGoal({ name: "watch", every: "1h", observe: watch }, owner);
    const { key, id, stub } = finisher;

    const fault = await withoutTable("cycles", async () => {
      await push(key, id, "x", 9); // its last cycle: done, but the D1 copy cannot be written
      const { fault } = await receiptWhere(key, id, (r) => r.fault !== undefined);
      return { ...fault, alarm: await armed(stub) }; // the unsent status event keeps it armed
    });
    expect(fault.message).toMatch(/no such table: cycles/);
    expect(fault.alarm).toBe(Date.parse(fault.retry_at ?? ""));
    expect((await call("GET", `/v1/goals/${id}`, { key })).body.status).toBe("done");

    await runDurableObjectAlarm(stub);
    const seen = await eventually(async () => {
      const values = observedValues(await cycles(key, watcher.id), "fin");
      return values.includes("done") ? values : undefined;
    });
    expect(seen).toEqual(["active", "done"]);
    const listed = (await call("GET", "/v1/goals", { key })).body.goals as { id: string }[];
    expect(listed.find((g) => g.id === id)).toMatchObject({ status: "done" });
    const last = (await cycles(key, id)).filter((r) => !r.fault).at(-1);
    expect(await d1Cycles(id)).toContain(last?.cycle);
    expect(observedValues(await cycles(key, id), "x")).toEqual([9]);
    expect(await alarmOf(stub)).toBeNull(); // done, and nothing left to send
  });

  it("the spec's formulas cannot be read after a restart: fault before the inbox is touched", async () => {
    const owner = await goalTenant();
    await call("PUT", "/v1/formulas/half", {
      key: owner.key,
      body: { expr: "x / 2", params: ["x"] },
    });
    const spec = {
      name: "f",
      every: "1m",
      observe: { x: { from: "push" } },
      orient: { h: "fn.half(x)" },
    };
    const { key, id, stub } = await newGoal(spec, owner);
    await evictDurableObject(stub);
    const fault = await withoutTable("formulas", async () => {
      await push(key, id, "x", 8); // wakes the restarted goal, which must recompile: D1 fails
      const { fault } = await receiptWhere(key, id, (r) => r.fault !== undefined);
      return { ...fault, alarm: await armed(stub) };
    });
    expect(fault).toMatchObject({ failures: 1, message: expect.stringMatching(/formulas/) });
    expect(Date.parse(fault.retry_at ?? "")).toBe(fault.alarm);

    await runDurableObjectAlarm(stub);
    const healed = (await call("GET", `/v1/goals/${id}`, { key })).body;
    expect(healed).toMatchObject({ failures: 0, oriented: { h: 4 } });
    expect(observedValues(await cycles(key, id), "x")).toEqual([8]);
    expect(await armed(stub)).toBeGreaterThan(Date.now());
  });

  it("a metric source cannot be read: a failed poll and insufficient data, not a fault", async () => {
    const spec = {
      name: "m",
      every: "1m",
      observe: { faults: { from: "metric", name: "loop.faults" }, x: { from: "push" } },
      decide: { rules: [{ id: "calm", when: "faults == 0 && x > 1", do: "note" }] },
      act: { note: { record: { collection: "notes", key: "calm", value: 1 } } },
    };
    const receipt = await withoutTable("metric_counts", async () => {
      const { key, id, stub } = await newGoal(spec);
      await push(key, id, "x", 2);
      await receiptWhere(key, id, (r) => observedValues([r], "x").length > 0);
      return { first: (await cycles(key, id))[0], stub, key, id };
    });
    expect(receipt.first?.fault).toBeUndefined();
    expect(receipt.first?.polls?.faults).toMatchObject({ status: "failed" });
    expect(receipt.first?.polls?.faults?.detail).toMatch(/metric_counts/);
    const trail = await cycles(receipt.key, receipt.id);
    for (const r of trail) expect(r.verdicts?.[0]?.status).toBe("insufficient_data");
    expect(observedValues(trail, "x")).toEqual([2]);
    expect((await call("GET", "/v1/records/notes/calm", { key: receipt.key })).status).toBe(404);
    expect(await armed(receipt.stub)).toBeGreaterThan(Date.now());
  });

  it("the action ledger cannot be read: the delivery is retried without acting, then acts once", async () => {
    const path = `/ok/${crypto.randomUUID()}`;
    const goal = await newGoal(notifySpec(path, true));
    await push(goal.key, goal.id, "stock", 5);
    const acting = await receiptWhere(goal.key, goal.id, (r) => (r.actions ?? []).length > 0);
    const planned = acting.actions?.[0];
    if (!planned) throw new Error("no action decided");
    const message = messageFor(goal.tenant, goal.id, acting, planned);

    const down = await withoutTable("action_runs", () => deliver("faas-actions", message, 1));
    expect(down).toEqual({ acked: false, retried: true });
    expect(await keyCounts(path)).toEqual({});
    const claims = await env.DB.prepare("SELECT count(*) AS n FROM action_claims WHERE key = ?")
      .bind(planned.key)
      .first<{ n: number }>();
    expect(claims?.n).toBe(0); // released, so the retry is not kept waiting

    expect(await deliver("faas-actions", message, 2)).toEqual({ acked: true, retried: false });
    expect(await keyCounts(path)).toEqual({ [planned.key]: { requests: 1, ok: 1 } });
    expect(await ledger(planned.key)).toMatchObject({ status: "ok", attempt: 2 });
    const result = await eventually(
      async () => resultsFor(await cycles(goal.key, goal.id), planned.key)[0],
    );
    expect(result).toMatchObject({ status: "ok", attempt: 2 });
    expect(observedValues(await cycles(goal.key, goal.id), "stock")).toEqual([5]);
    expect(await armed(goal.stub)).toBeGreaterThan(Date.now());
  });
});
