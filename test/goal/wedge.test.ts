/**
 * Nothing a tenant sends wedges a goal: oversized actions fail in the
 * receipt when planned; the inbox is bounded, and a large backlog is taken a
 * bounded slice per cycle; an outbox entry the queue cannot take is given
 * up (its action comes back as an error) instead of failing every pass.
 */
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { cycles, type Receipt } from "../faults/helpers.ts";
import { call, eventually, goalTenant } from "../helpers.ts";

const noFault = async (key: string, id: string) => {
  const goal = await call("GET", `/v1/goals/${id}`, { key });
  expect(goal.body.failures).toBe(0);
  expect(goal.body.last_fault).toBeNull();
  expect((await cycles(key, id)).filter((r) => r.fault)).toEqual([]);
};

describe("a goal cannot be wedged", () => {
  it("a webhook body templated from history that outgrows a queue message is an error verdict; the goal goes on", async () => {
    const { key } = await goalTenant();
    const created = await call("POST", "/v1/goals", {
      key,
      body: {
        name: "history-body",
        every: "1h",
        observe: { x: { from: "push" } },
        decide: { rules: [{ id: "r", when: "len(history.x) > 0", cooldown: "1ms", do: "hook" }] },
        act: {
          hook: { webhook: `${env.TEST_RECEIVER}/ok/history`, body: { recent: "=history.x" } },
        },
      },
    });
    const id = created.body.id as string;
    for (let i = 0; i < 10; i++) {
      const res = await call("POST", `/v1/goals/${id}/observations`, {
        key,
        body: { name: "x", value: `${i}${"v".repeat(16 * 1024 - 10)}` },
      });
      expect(res.status).toBe(202);
    }
    const last = await eventually(async () => {
      const all = await cycles(key, id);
      const tooLarge = all.filter((r) =>
        (r.verdicts ?? []).some((v) => v.code === "ACTION_TOO_LARGE"),
      );
      return tooLarge.length > 0 ? all : undefined;
    });
    const verdict = last
      .flatMap((r) => r.verdicts ?? [])
      .find((v) => v.code === "ACTION_TOO_LARGE");
    expect(verdict).toMatchObject({ status: "error" });
    await noFault(key, id);
  });

  it("a paused goal's backlog of 20 pushes of 1,000 observations is taken after resume, slice by slice, without a fault", async () => {
    const { key } = await goalTenant();
    const created = await call("POST", "/v1/goals", {
      key,
      body: {
        name: "backlog",
        every: "1h",
        keep: 1000,
        observe: { x: { from: "push" } },
        orient: { n: "len(history.x)" },
      },
    });
    const id = created.body.id as string;
    await call("POST", `/v1/goals/${id}/pause`, { key });
    for (let p = 0; p < 20; p++) {
      const observations = Array.from({ length: 1000 }, (_, i) => ({
        name: "x",
        value: p * 1000 + i,
      }));
      const res = await call("POST", `/v1/goals/${id}/observations`, {
        key,
        body: { observations },
      });
      expect(res.status).toBe(202);
    }
    const paused = await call("GET", `/v1/goals/${id}`, { key });
    expect(paused.body.inbox.items).toBe(20);
    await call("POST", `/v1/goals/${id}/resume`, { key });
    const drained = await eventually(async () => {
      const goal = await call("GET", `/v1/goals/${id}`, { key });
      return goal.body.inbox.items === 0 && goal.body.oriented.n === 1000 ? goal.body : undefined;
    }, 15_000);
    expect(drained.latest.x.value).toBe(19_999);
    const trail: Receipt[] = await cycles(key, id);
    const taken = trail.reduce(
      (n, r) =>
        n +
        (r.observed?.x?.length ?? 0) +
        ((r as { observed_omitted?: Record<string, number> }).observed_omitted?.x ?? 0),
      0,
    );
    expect(taken).toBe(20_000);
    expect(trail.filter((r) => (r.observed?.x?.length ?? 0) > 0).length).toBeGreaterThan(1);
    await noFault(key, id);
  }, 30_000);

  it("a full inbox refuses pushes with 429 INBOX_FULL, and keeps what it took", async () => {
    const { key } = await goalTenant();
    const created = await call("POST", "/v1/goals", {
      key,
      body: { name: "full", every: "1h", keep: 1000, observe: { x: { from: "push" } } },
    });
    const id = created.body.id as string;
    await call("POST", `/v1/goals/${id}/pause`, { key });
    const big = "v".repeat(400);
    const statuses: number[] = [];
    let refused: { status: number; body: { error: { code: string; message: string } } } | undefined;
    for (let p = 0; p < 12 && refused === undefined; p++) {
      const observations = Array.from({ length: 1000 }, () => ({ name: "x", value: big }));
      const res = await call("POST", `/v1/goals/${id}/observations`, {
        key,
        body: { observations },
      });
      statuses.push(res.status);
      if (res.status !== 202) refused = res;
    }
    expect(refused?.status).toBe(429);
    expect(refused?.body.error.code).toBe("INBOX_FULL");
    expect(refused?.body.error.message).toContain("paused");
    const accepted = statuses.filter((s) => s === 202).length;
    expect(accepted).toBeGreaterThan(1);
    await call("POST", `/v1/goals/${id}/resume`, { key });
    const drained = await eventually(async () => {
      const goal = await call("GET", `/v1/goals/${id}`, { key });
      return goal.body.inbox.items === 0 ? goal.body : undefined;
    }, 15_000);
    expect(drained.failures).toBe(0);
    const trail: Receipt[] = await cycles(key, id);
    const taken = trail.reduce(
      (n, r) =>
        n +
        (r.observed?.x?.length ?? 0) +
        ((r as { observed_omitted?: Record<string, number> }).observed_omitted?.x ?? 0),
      0,
    );
    expect(taken).toBe(accepted * 1000);
  }, 30_000);

  it("an outbox entry the queue cannot take is given up: its action comes back as an error, the rest go out", async () => {
    const { key, tenant } = await goalTenant();
    const created = await call("POST", "/v1/goals", {
      key,
      body: {
        name: "poison",
        every: "1h",
        observe: { x: { from: "push" } },
        act: { hook: { webhook: "https://h.example/" } },
      },
    });
    const id = created.body.id as string;
    await eventually(async () => ((await cycles(key, id)).length > 0 ? true : undefined));
    const planned = {
      kind: "webhook",
      payload: {
        url: "https://h.example/",
        method: "POST",
        headers: {},
        body: "p".repeat(130_000),
        timeout_ms: 5000,
      },
      action: "hook",
      rule: "manual",
      key: `${id}:0:manual:hook`,
      dry_run: false,
      awaiting_approval: false,
      chain: { id: `${id}:0`, depth: 1 },
    };
    await runInDurableObject(
      env.GOAL.getByName(id),
      async (_instance, state: DurableObjectState) => {
        await state.storage.put(`outbox:action:${planned.key}`, {
          tenant,
          goalId: id,
          cycle: 0,
          planned,
        });
      },
    );
    // A restarted object lists its outbox (this one never wrote the entry itself).
    await evictDurableObject(env.GOAL.getByName(id));
    await call("POST", `/v1/goals/${id}/observations`, { key, body: { name: "x", value: 1 } });
    const result = await eventually(async () =>
      (await cycles(key, id))
        .flatMap((r) => r.act_results ?? [])
        .find((a) => a.key === planned.key),
    );
    expect(result).toMatchObject({ action: "hook", status: "error" });
    expect((result as { error?: string }).error).toMatch(
      /could not be queued: the action message is \d+ bytes/,
    );
    const left = await runInDurableObject(env.GOAL.getByName(id), (_i, state: DurableObjectState) =>
      state.storage.list({ prefix: "outbox:action:" }),
    );
    expect(left.size).toBe(0);
    await noFault(key, id);
  });
});
