/**
 * Work budgets through the API: a formula whose fn. calls fan out beyond an
 * evaluation's budget is refused at registration; requests, batches,
 * simulations and goal cycles that would work too long stop with
 * FORMULA_BUDGET instead of holding the isolate.
 */
import { describe, expect, it } from "vitest";
import { runBudgeted } from "../../src/api/run-budgeted.ts";
import type { Receipt } from "../../src/cycle/index.ts";
import type { CompiledGoal } from "../../src/spec/index.ts";
import { call, eventually, formulaTenant, goalTenant } from "../helpers.ts";

const calls = (callee: string, times: number) =>
  `sum([${Array.from({ length: times }, () => `fn.${callee}(x)`).join(",")}])`;

describe("work budgets", () => {
  it("a formula whose calls fan out beyond the budget is refused at registration, naming its weight", async () => {
    const { key } = await formulaTenant();
    const put = (name: string, expr: string) =>
      call("PUT", `/v1/formulas/${name}`, { key, body: { expr, params: ["x"] } });
    expect((await put("f0", "x + 1")).status).toBe(201);
    expect((await put("f1", calls("f0", 450))).status).toBe(201);
    // f2 = 450 × f1 would evaluate about a million nodes, more than one evaluation's budget.
    const f2 = await put("f2", calls("f1", 450));
    expect(f2.status).toBe(422);
    expect(f2.body.error.code).toBe("FORMULA_BUDGET");
    expect(f2.body.error.details.budget).toBe(500_000);
    expect(f2.body.error.details.weight).toBeGreaterThan(500_000);
    expect((await call("GET", "/v1/formulas/f2", { key })).status).toBe(404);
    // Ad hoc, the same.
    const adHoc = await call("POST", "/v1/eval", {
      key,
      body: { expr: calls("f1", 450), vars: { x: 1 } },
    });
    expect(adHoc.status).toBe(422);
    expect(adHoc.body.error.code).toBe("FORMULA_BUDGET");
    // What fits, runs.
    const f1 = await call("GET", "/v1/formulas/f1/eval?x=1", { key });
    expect(f1.body.value).toBe(450 * 2);
  });

  it("371 medians of 100,000 elements in one request stop with 422 FORMULA_BUDGET", async () => {
    const { key } = await formulaTenant();
    const xs = Array.from({ length: 100_000 }, (_, i) => i % 997);
    const expr = `sum([${Array.from({ length: 371 }, () => "median(xs)").join(",")}])`;
    const res = await call("POST", "/v1/eval", { key, body: { expr, vars: { xs } } });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("FORMULA_BUDGET");
    expect(res.body.error.details.budget).toBe(500_000);
    // One median of them fits.
    const one = await call("POST", "/v1/eval", { key, body: { expr: "median(xs)", vars: { xs } } });
    expect(one.status).toBe(200);
  });

  it("a batch's rows share one budget; the row where it ran out is named", async () => {
    const { key } = await formulaTenant();
    const xs = Array.from({ length: 5000 }, (_, i) => (i * 31) % 1000);
    const expr = `sum([${Array.from({ length: 29 }, () => "median(xs)").join(",")}])`;
    const rows = Array.from({ length: 30 }, () => ({ xs }));
    const res = await call("POST", "/v1/eval", { key, body: { expr, rows } });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("FORMULA_BUDGET");
    // Each row is about 490,000 units: the request's 10 million run out at the 21st.
    expect(res.body.error.details.row).toBeGreaterThan(15);
    expect(res.body.error.details.row).toBeLessThan(30);
    const few = await call("POST", "/v1/eval", { key, body: { expr, rows: rows.slice(0, 3) } });
    expect(few.status).toBe(200);
    expect(few.body.values).toHaveLength(3);
  });

  it("a simulation of 1,000 cycles of 768 medians over history stops with 422 FORMULA_BUDGET, saying how far it got", async () => {
    const { key } = await goalTenant();
    const orient = Object.fromEntries(
      Array.from({ length: 64 }, (_, i) => [
        `m${i}`,
        `sum([${Array.from({ length: 12 }, () => "median(history.x)").join(",")}])`,
      ]),
    );
    const spec = { name: "heavy", keep: 1000, observe: { x: { from: "push" } }, orient };
    const observations = Array.from({ length: 1000 }, (_, i) => ({
      at: i * 1000,
      values: { x: i % 50 },
    }));
    const res = await call("POST", "/v1/goals/simulate", { key, body: { spec, observations } });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("FORMULA_BUDGET");
    expect(res.body.error.details.cycles).toBeGreaterThan(1);
    expect(res.body.error.details.cycles).toBeLessThan(1000);
  });

  it("a simulation lets other work in before its first cycle, after compiling its spec", async () => {
    const seen: string[] = [];
    setTimeout(() => seen.push("other work"), 0);
    function* cycles(): Generator<Receipt> {
      seen.push("first cycle");
      yield { cycle: 1, work: 0 } as Receipt;
    }
    const goal = { keep: 1, sources: [] } as unknown as CompiledGoal;
    const receipts = await runBudgeted(
      `yield-${crypto.randomUUID()}`,
      goal,
      cycles(),
      "simulation",
    );
    expect(receipts).toHaveLength(1);
    expect(seen).toEqual(["other work", "first cycle"]);
  });

  it("a goal cycle that runs out says so in its receipt, and the goal goes on", async () => {
    const { key } = await goalTenant();
    const orient = Object.fromEntries(
      Array.from({ length: 64 }, (_, i) => [
        `m${i}`,
        `sum([${Array.from({ length: 40 }, () => "median(xs)").join(",")}])`,
      ]),
    );
    const created = await call("POST", "/v1/goals", {
      key,
      body: { name: "heavy", every: "1h", observe: { xs: { from: "push" } }, orient },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const xs = Array.from({ length: 3000 }, (_, i) => i % 100);
    await call("POST", `/v1/goals/${id}/observations`, { key, body: { name: "xs", value: xs } });
    const receipt = await eventually(async () => {
      const res = await call("GET", `/v1/goals/${id}/cycles`, { key });
      return res.body.cycles.find((r: { observed: Record<string, unknown> }) => r.observed.xs);
    });
    const oriented = Object.values(receipt.oriented as Record<string, unknown>);
    expect(oriented.some((v) => typeof v === "number")).toBe(true);
    const failed = oriented.filter(
      (v) => (v as { error?: { code: string } }).error?.code === "FORMULA_BUDGET",
    );
    expect(failed.length).toBeGreaterThan(0);
    expect(receipt.work).toBe(500_000);
    const goal = await call("GET", `/v1/goals/${id}`, { key });
    expect(goal.body.failures).toBe(0);
  });

  it("a goal spec whose formula could never fit a cycle is refused at registration", async () => {
    const { key } = await goalTenant();
    const put = (name: string, expr: string) =>
      call("PUT", `/v1/formulas/${name}`, { key, body: { expr, params: ["x"] } });
    await put("f0", "x + 1");
    await put("f1", calls("f0", 450));
    const res = await call("POST", "/v1/goals", {
      key,
      body: { name: "fan", observe: { x: { from: "push" } }, orient: { y: calls("f1", 450) } },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.details.issues).toEqual([
      expect.objectContaining({ path: "orient.y", code: "FORMULA_BUDGET" }),
    ]);
  });

  it("a tenant whose heavy requests used its share of the isolate's work gets 429; another tenant does not", async () => {
    const heavy = await formulaTenant();
    const other = await formulaTenant();
    const xs = Array.from({ length: 5000 }, (_, i) => (i * 31) % 1000);
    const expr = `sum([${Array.from({ length: 29 }, () => "median(xs)").join(",")}])`;
    const rows = Array.from({ length: 30 }, () => ({ xs }));
    const statuses: number[] = [];
    let limited:
      | { status: number; headers: Headers; body: { error: Record<string, unknown> } }
      | undefined;
    for (let i = 0; i < 12 && limited === undefined; i++) {
      const res = await call("POST", "/v1/eval", { key: heavy.key, body: { expr, rows } });
      statuses.push(res.status);
      if (res.status === 429) limited = res;
    }
    // Each spends its whole request budget (10 million units); the share holds two at once.
    expect(statuses.slice(0, 2)).toEqual([422, 422]);
    expect(limited?.body.error).toMatchObject({ code: "RATE_LIMITED", details: { limit: "work" } });
    expect(Number(limited?.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    const fine = await call("POST", "/v1/eval", {
      key: other.key,
      body: { expr, rows: rows.slice(0, 2) },
    });
    expect(fine.status).toBe(200);
  });

  it("an evaluation says how long it waited for its tenant's turn and how long it ran (Server-Timing)", async () => {
    const { key } = await formulaTenant();
    const ok = await call("POST", "/v1/eval", { key, body: { expr: "1 + 1", vars: {} } });
    expect(ok.headers.get("server-timing")).toMatch(/^queue;dur=\d+, run;dur=\d+$/);
    const xs = Array.from({ length: 100_000 }, (_, i) => i % 997);
    const expr = `sum([${Array.from({ length: 9 }, () => "median(xs)").join(",")}])`;
    const failed = await call("POST", "/v1/eval", { key, body: { expr, vars: { xs } } });
    expect(failed.status).toBe(422);
    expect(failed.headers.get("server-timing")).toMatch(/^queue;dur=\d+, run;dur=\d+$/);
  });
});
