/**
 * Outbound requests per tenant (OUTBOUND_RATE_LIMIT: 3 per 10 s in this
 * project). Over it, a poll is a failed poll saying so and a webhook waits
 * for a later delivery: neither is sent, neither is dropped in silence.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { MAX_DEFERRALS } from "../../src/outbound/budget.ts";
import type { ActionMessage } from "../../src/queues.ts";
import { call, eventually, seenBy, uniqueTenant } from "../helpers.ts";
import { storeRows } from "../store-sql.ts";
import { tenantKeys } from "./keys.ts";
import { freshWindow } from "./window.ts";

type Worker = {
  queue(batch: MessageBatch<ActionMessage>, env: Env, ctx: ExecutionContext): Promise<void>;
};
const worker = (await import("../../src/index.ts")).default as unknown as Worker;

function webhook(tenant: string, path: string): ActionMessage {
  return {
    tenant,
    goalId: "g_00000000000000000000",
    cycle: 1,
    planned: {
      action: "notify",
      rule: "r",
      kind: "webhook",
      key: `g_outbound:${crypto.randomUUID()}:r:notify`,
      payload: {
        url: `${env.TEST_RECEIVER}${path}`,
        method: "POST",
        headers: {},
        body: { n: 1 },
        timeout_ms: 2000,
      },
      chain: { id: "outbound:1", depth: 1 },
      dry_run: false,
      awaiting_approval: false,
    },
  };
}

async function ledger(key: string): Promise<Record<string, unknown> | null> {
  const [row] = await storeRows<{ result: string }>(
    "SELECT result FROM action_runs WHERE `key` = ?",
    [key],
  );
  return row ? JSON.parse(row.result) : null;
}

// Each test counts up to a limit inside one rate-limit window.
beforeEach(() => freshWindow());

describe("outbound requests per tenant", () => {
  it("polls beyond the tenant's limit fail, with a note saying why", async () => {
    const [key] = await tenantKeys(1);
    const run = crypto.randomUUID();
    const observe = Object.fromEntries(
      Array.from({ length: 5 }, (_, i) => [
        `p${i}`,
        { from: "http", url: `${env.TEST_RECEIVER}/ok/outbound/${run}/${i}`, path: "n" },
      ]),
    );
    const id = (await call("POST", "/v1/goals", { key, body: { name: "o", every: "1h", observe } }))
      .body.id;
    const polls = await eventually(async () => {
      const cycles = (await call("GET", `/v1/goals/${id}/cycles`, { key })).body.cycles ?? [];
      return cycles[0]?.polls as Record<string, { status: string; detail?: string }> | undefined;
    });
    const notes = Object.values(polls);
    expect(notes.filter((p) => p.status === "ok")).toHaveLength(3);
    const refused = notes.filter((p) => p.status === "failed");
    expect(refused).toHaveLength(2);
    for (const note of refused) expect(note.detail).toContain("outbound request limit");
    expect(await seenBy(`/ok/outbound/${run}/`)).toHaveLength(3);
  });

  it("a webhook beyond the tenant's limit is not sent now but queued again for later", async () => {
    const tenant = uniqueTenant("lim");
    const path = `/ok/outbound-hook/${crypto.randomUUID()}`;
    const requeued: { body: ActionMessage; options?: QueueSendOptions }[] = [];
    const actions = {
      send: async (body: ActionMessage, options?: QueueSendOptions) => {
        requeued.push({ body, ...(options ? { options } : {}) });
      },
    };
    const testEnv = { ...env, ACTIONS: actions as unknown as Queue };
    const deliver = async (message: ActionMessage) => {
      const id = crypto.randomUUID();
      const batch = createMessageBatch<ActionMessage>("faas-actions", [
        { id, timestamp: new Date(), attempts: 1, body: message },
      ]);
      const ctx = createExecutionContext();
      await worker.queue(batch, testEnv, ctx);
      return { id, result: await getQueueResult(batch, ctx) };
    };
    for (let i = 0; i < 3; i++) await deliver(webhook(tenant, path));
    expect(await seenBy(path)).toHaveLength(3);
    expect(requeued).toEqual([]);

    const over = webhook(tenant, path);
    const { id, result } = await deliver(over);
    expect(await seenBy(path)).toHaveLength(3);
    // Not a failed attempt: the delivery ends and a copy waits out the window.
    expect(result.explicitAcks).toEqual([id]);
    expect(result.retryMessages).toEqual([]);
    expect(requeued).toHaveLength(1);
    expect(requeued[0]?.body).toMatchObject({ planned: { key: over.planned.key }, deferred: 1 });
    expect(requeued[0]?.options?.delaySeconds).toBeGreaterThanOrEqual(10);
    expect(await ledger(over.planned.key)).toBeNull();

    // An action that has waited as long as it may is reported failed, saying why.
    const patient = { ...webhook(tenant, path), deferred: MAX_DEFERRALS };
    const last = await deliver(patient);
    expect(last.result.explicitAcks).toEqual([last.id]);
    expect(requeued).toHaveLength(1);
    expect(await seenBy(path)).toHaveLength(3);
    expect(await ledger(patient.planned.key)).toMatchObject({
      status: "failed",
      error: expect.stringContaining("outbound request limit"),
    });
  });
});
