import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, eventually, goalTenant, seenBy } from "../helpers.ts";
import { storeRows } from "../store-sql.ts";

function restockSpec(url: string) {
  return {
    name: "restock",
    every: "1h",
    params: { reorder_point: 20 },
    observe: { stock: { from: "push" } },
    orient: { need: "stock < reorder_point", qty: "max(0, 100 - stock)" },
    decide: { rules: [{ id: "reorder", when: "need", cooldown: "1h", do: "order" }] },
    act: { order: { webhook: url, body: { sku: "widget", qty: "=qty" } } },
  };
}

describe("a goal end to end", () => {
  it("push → decide → webhook at a real server → the act result lands in the receipts", async () => {
    const { key } = await goalTenant();
    const path = `/ok/${crypto.randomUUID()}`;
    const created = await call("POST", "/v1/goals", {
      key,
      body: restockSpec(`${env.TEST_RECEIVER}${path}`),
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;

    const pushed = await call("POST", `/v1/goals/${id}/observations`, {
      key,
      body: { name: "stock", value: 7 },
    });
    expect(pushed.status).toBe(202);

    const [delivery] = await eventually(async () => {
      const seen = await seenBy(path);
      return seen.length > 0 ? seen : undefined;
    });
    expect(JSON.parse(delivery?.body ?? "")).toEqual({ sku: "widget", qty: 93 });
    expect(delivery?.headers["content-type"]).toBe("application/json");
    const idempotencyKey = delivery?.headers["idempotency-key"] ?? "";
    expect(idempotencyKey).toMatch(new RegExp(`^${id}:\\d+:reorder:order$`));

    const receipts = await eventually(async () => {
      const res = await call("GET", `/v1/goals/${id}/cycles`, { key });
      const cycles = res.body.cycles as { act_results: { key: string; status: string }[] }[];
      return cycles.some((c) => c.act_results.length > 0) ? cycles : undefined;
    });
    const acting = receipts.find(
      (c) => (c as unknown as { actions: unknown[] }).actions.length > 0,
    ) as unknown as {
      verdicts: { status: string; values: Record<string, unknown> }[];
      actions: { key: string; payload: { body: unknown } }[];
    };
    expect(acting.verdicts[0]).toMatchObject({ status: "matched", values: { need: true } });
    expect(acting.actions[0]?.key).toBe(idempotencyKey);
    const result = receipts.flatMap((c) => c.act_results).find((r) => r.key === idempotencyKey);
    expect(result?.status).toBe("ok");

    const goal = await call("GET", `/v1/goals/${id}`, { key });
    expect(goal.body.oriented).toMatchObject({ need: true, qty: 93 });
    expect(goal.body.latest.stock.value).toBe(7);
    expect(Date.parse(goal.body.next_wake_at)).toBeGreaterThan(Date.now());
    expect((await seenBy(path)).length).toBe(1);
  });

  it("an acting cycle is written to D1; a quiet one is not", async () => {
    const { key, tenant } = await goalTenant();
    const path = `/ok/${crypto.randomUUID()}`;
    const created = await call("POST", "/v1/goals", {
      key,
      body: restockSpec(`${env.TEST_RECEIVER}${path}`),
    });
    const id = created.body.id as string;
    // One cycle per push: wait for each before the next, so stock 51 makes a quiet cycle.
    for (const value of [50, 51, 5]) {
      const before = (await call("GET", `/v1/goals/${id}`, { key })).body.cycle as number;
      await call("POST", `/v1/goals/${id}/observations`, { key, body: { name: "stock", value } });
      await eventually(async () =>
        ((await call("GET", `/v1/goals/${id}`, { key })).body.cycle as number) > before
          ? true
          : undefined,
      );
    }
    await eventually(async () => ((await seenBy(path)).length > 0 ? true : undefined));
    const rows = await eventually(async () => {
      const results = await storeRows<{ cycle: number; receipt: string }>(
        "SELECT cycle, receipt FROM cycles WHERE tenant = ? AND goal_id = ? ORDER BY cycle",
        [tenant, id],
      );
      return results.some((r) => JSON.parse(r.receipt).actions.length > 0) ? results : undefined;
    });
    const all = (await call("GET", `/v1/goals/${id}/cycles?limit=200`, { key })).body.cycles as {
      cycle: number;
      quiet: boolean;
    }[];
    const quiet = all.filter((c) => c.quiet).map((c) => c.cycle);
    expect(quiet.length).toBeGreaterThan(0);
    for (const cycle of quiet) expect(rows.map((r) => r.cycle)).not.toContain(cycle);
  });
});
