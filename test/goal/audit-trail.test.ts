/**
 * The audit trail's edges: a page after cycle N includes the fault receipts
 * filed after N, and pages on with next_after; fault receipts and push
 * idempotency keys are pruned; a pause does not count as missed periods.
 */
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { pruneIdempotency } from "../../src/goal/housekeeping.ts";
import { RETENTION } from "../../src/goal/store.ts";
import { cycles, newGoal, push, type Receipt } from "../faults/helpers.ts";
import { call, eventually, goalTenant } from "../helpers.ts";
import { storeRows } from "../store-sql.ts";

async function withoutFormulas<T>(during: () => Promise<T>): Promise<T> {
  await storeRows("ALTER TABLE formulas RENAME TO formulas_off");
  try {
    return await during();
  } finally {
    await storeRows("ALTER TABLE formulas_off RENAME TO formulas");
  }
}

/** A goal whose spec calls a registered formula, so a restart must read D1 to compile it. */
async function goalNeedingD1() {
  const owner = await goalTenant();
  await call("PUT", "/v1/formulas/half", {
    key: owner.key,
    body: { expr: "x / 2", params: ["x"] },
  });
  return newGoal(
    { name: "f", every: "1m", observe: { x: { from: "push" } }, orient: { h: "fn.half(x)" } },
    owner,
  );
}

describe("the audit trail", () => {
  it("after=N includes the fault receipts filed after cycle N, and next_after pages past them", async () => {
    const { key, id, stub } = await goalNeedingD1();
    await push(key, id, "x", 2);
    const last = (await cycles(key, id)).at(-1)?.cycle ?? 0;
    await evictDurableObject(stub);
    await withoutFormulas(async () => {
      await push(key, id, "x", 4); // the restarted goal cannot compile: a fault after cycle `last`
      await eventually(async () =>
        (await cycles(key, id)).some((r) => r.fault) ? true : undefined,
      );
    });
    const page = await call("GET", `/v1/goals/${id}/cycles?after=${last}`, { key });
    expect(page.status).toBe(200);
    const faults = (page.body.cycles as Receipt[]).filter((r) => r.fault);
    expect(faults).toHaveLength(1);
    expect(faults[0]?.cycle).toBe(last);
    // The cursor names the fault by its time in epoch ms; the receipt shows that time in ISO 8601.
    expect(page.body.next_after).toBe(`${last}.${Date.parse(faults[0]?.at ?? "")}`);
    const next = await call("GET", `/v1/goals/${id}/cycles?after=${page.body.next_after}`, { key });
    expect((next.body.cycles as Receipt[]).filter((r) => r.fault)).toEqual([]);
    // Recovered: the next cycle comes after the fault.
    await runDurableObjectAlarm(stub);
    const after = await call("GET", `/v1/goals/${id}/cycles?after=${page.body.next_after}`, {
      key,
    });
    expect((after.body.cycles as Receipt[]).map((r) => r.cycle)).toEqual([last + 1]);
    const bad = await call("GET", `/v1/goals/${id}/cycles?after=abc`, { key });
    expect(bad.status).toBe(400);
  });

  it("keeps at most RETENTION.faults fault receipts, dropping the oldest", async () => {
    const { key, id, stub } = await goalNeedingD1();
    await evictDurableObject(stub);
    const total = RETENTION.faults + 5;
    await withoutFormulas(async () => {
      for (let i = 0; i < total; i++) await runDurableObjectAlarm(stub);
    });
    const kept = await runInDurableObject(stub, async (_i, state: DurableObjectState) => {
      const all = await state.storage.list({ prefix: "receipt:" });
      return [...all.keys()].filter((k) => k.includes(":fault:"));
    });
    expect(kept).toHaveLength(RETENTION.faults);
    const listed = (await call("GET", `/v1/goals/${id}/cycles?limit=200`, { key })).body
      .cycles as Receipt[];
    expect(listed.filter((r) => r.fault).at(-1)?.fault?.failures).toBe(total);
  }, 30_000);

  it("push idempotency keys are kept with an expiry index and pruned once expired", async () => {
    const { key, id, stub } = await newGoal({
      name: "i",
      every: "1m",
      observe: { x: { from: "push" } },
    });
    const res = await call("POST", `/v1/goals/${id}/observations`, {
      key,
      headers: { "idempotency-key": "push-1" },
      body: { name: "x", value: 1 },
    });
    expect(res.status).toBe(202);
    const stored = await runInDurableObject(stub, async (_i, state: DurableObjectState) => {
      const before = [...(await state.storage.list({ prefix: "idem" })).keys()];
      await pruneIdempotency(state.storage, Date.now()); // not yet expired
      const kept = [...(await state.storage.list({ prefix: "idem" })).keys()];
      await pruneIdempotency(state.storage, Date.now() + RETENTION.idempotencyMs + 1000);
      const after = [...(await state.storage.list({ prefix: "idem" })).keys()];
      return { before, kept, after };
    });
    expect(stored.before).toHaveLength(2);
    expect(stored.before).toContain("idem:push-1");
    expect(stored.kept).toEqual(stored.before);
    expect(stored.after).toEqual([]);
  });

  it("a pause is not reported as missed periods on resume", async () => {
    const { key, id } = await newGoal({ name: "p", every: "1s", observe: { x: { from: "push" } } });
    await eventually(async () =>
      (await cycles(key, id)).filter((r) => r.trigger === "alarm").length >= 2 ? true : undefined,
    );
    await call("POST", `/v1/goals/${id}/pause`, { key });
    await new Promise((resolve) => setTimeout(resolve, 3500));
    const before = (await cycles(key, id)).at(-1)?.cycle ?? 0;
    await call("POST", `/v1/goals/${id}/resume`, { key });
    const resumed = await eventually(async () =>
      (await cycles(key, id)).find((r) => r.cycle > before && r.trigger === "alarm"),
    );
    expect((resumed as { missed?: number }).missed).toBe(0);
  }, 15_000);
});
