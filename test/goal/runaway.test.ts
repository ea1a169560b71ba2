/**
 * Issue 11, item 1, as reported: one push into a goal whose two rules stay
 * true must not start an endless chain of actions. Against a real receiver,
 * with the real queues: the push makes exactly one delivery per rule, and
 * the cycles its results start record the rules as already matched.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { cycles, type Receipt } from "../faults/helpers.ts";
import { call, eventually, goalTenant, seenBy } from "../helpers.ts";

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("one push into a goal whose rules stay true", () => {
  it("two rules under policy all act once each, not for ever", async () => {
    const { key } = await goalTenant();
    const base = `/ok/${crypto.randomUUID()}`;
    const created = await call("POST", "/v1/goals", {
      key,
      body: {
        name: "runaway",
        every: "1h",
        observe: { x: { from: "push" } },
        decide: {
          policy: "all",
          rules: [
            { id: "r1", when: "x > 0", do: "a1" },
            { id: "r2", when: "x > 0", do: "a2" },
          ],
        },
        act: {
          a1: { webhook: `${env.TEST_RECEIVER}${base}/1`, body: { x: "=x" } },
          a2: { webhook: `${env.TEST_RECEIVER}${base}/2`, body: { x: "=x" } },
        },
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const pushed = await call("POST", `/v1/goals/${id}/observations`, {
      key,
      body: { name: "x", value: 1 },
    });
    expect(pushed.status).toBe(202);

    // Both results come back, then nothing more for a while.
    const results = await eventually(async () => {
      const all = (await cycles(key, id)).flatMap((r) => r.act_results ?? []);
      return all.length >= 2 ? all : undefined;
    });
    expect(results.map((r) => r.action).sort()).toEqual(["a1", "a2"]);
    await settle(1500);
    expect((await seenBy(`${base}/1`)).length).toBe(1);
    expect((await seenBy(`${base}/2`)).length).toBe(1);

    const receipts = await cycles(key, id);
    const acting = receipts.filter((r) => (r.actions ?? []).length > 0);
    expect(acting).toHaveLength(1);
    const echoes = receipts.filter((r) => r.trigger === "act");
    expect(echoes.length).toBeGreaterThanOrEqual(1);
    for (const echo of echoes) {
      expect(echo.actions).toEqual([]);
      expect(echo.verdicts?.map((v) => v.status)).toEqual(["already_matched", "already_matched"]);
    }
  });

  it("a rule that turns true again on each record its own action writes is bounded by max_actions_per_chain", async () => {
    const { key } = await goalTenant();
    const collection = `loop-${crypto.randomUUID().slice(0, 8)}`;
    await call("PUT", `/v1/records/${collection}/k`, { key, body: { n: 0 } });
    const created = await call("POST", "/v1/goals", {
      key,
      body: {
        name: "counter",
        every: "1h",
        observe: { n: { from: "record", collection, key: "k", path: "n" }, go: { from: "push" } },
        orient: { seen: "go ? n : -1" },
        // True whenever n moved since the last cycle: each write its action makes turns it true again.
        decide: {
          rules: [{ id: "bump", when: "go and n != coalesce(prev.seen, -1)", do: "save" }],
        },
        act: { save: { record: { collection, key: "k", value: { n: "=n + 1" } } } },
        guard: { max_actions_per_chain: 5 },
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await call("POST", `/v1/goals/${id}/observations`, { key, body: { name: "go", value: true } });
    // Settled: the last action's result is in, and nothing new comes for a while.
    let planned = 0;
    for (;;) {
      await settle(1500);
      const now = (await cycles(key, id)).flatMap((r) => r.actions ?? []).length;
      if (now === planned && now > 0) break;
      planned = now;
      expect(planned).toBeLessThanOrEqual(5);
    }
    const all: Receipt[] = await cycles(key, id);
    const actions = all.flatMap((r) => r.actions ?? []);
    expect(actions.length).toBeGreaterThanOrEqual(1);
    expect(actions.length).toBeLessThanOrEqual(5);
    // Every one continued the push's chain, one level deeper each time.
    expect(new Set(actions.map((a) => a.chain.id)).size).toBe(1);
    expect(actions.map((a) => a.chain.depth)).toEqual(actions.map((_, i) => i + 1));
    const record = await call("GET", `/v1/records/${collection}/k`, { key });
    expect(record.body.value).toEqual({ n: actions.length });
    // What stopped it is in the receipts: the chain's budget, or the rule was already matched.
    const last = all.at(-1)?.verdicts?.find((v) => v.rule === "bump");
    if (actions.length === 5) {
      const blocked = all.flatMap((r) => r.verdicts ?? []).find((v) => v.status === "blocked");
      expect(blocked).toMatchObject({ guard: "max_actions_per_chain" });
      expect(blocked?.reason).toContain("max_actions_per_chain 5");
    } else expect(["already_matched", "false"]).toContain(last?.status);
  }, 30_000);
});
