/**
 * Quotas hold under concurrency: N creations at once against a quota of Q
 * (3 goals, formulas and records, 4 live keys in this project) leave exactly
 * Q rows, and every other creation is a 403 QUOTA_EXCEEDED.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ActionMessage } from "../../src/queues.ts";
import { type Call, call, uniqueTenant } from "../helpers.ts";
import { store, storeRows } from "../store-sql.ts";
import { tenantKeys } from "./keys.ts";

type Worker = {
  queue(batch: MessageBatch<ActionMessage>, env: Env, ctx: ExecutionContext): Promise<void>;
};
const worker = (await import("../../src/index.ts")).default as unknown as Worker;

/** Creations started at once. Two keys of the tenant send them, under the per-key rate limit. */
const N = 8;

async function burst(keys: string[], send: (key: string, i: number) => Promise<Call>) {
  const answers = await Promise.all(
    Array.from({ length: N }, (_, i) => send(keys[i % keys.length] as string, i)),
  );
  const statuses = answers.map((a) => a.status);
  for (const a of answers.filter((a) => a.status === 403))
    expect(a.body.error.code).toBe("QUOTA_EXCEEDED");
  return statuses.filter((s) => s !== 403).length;
}

async function rows(sql: string, tenant: string): Promise<number> {
  const [row] = await storeRows<{ n: number }>(sql, [tenant]);
  return Number(row?.n ?? 0);
}

describe("concurrent creations never overshoot a quota", () => {
  it("records through the API", async () => {
    const tenant = uniqueTenant("lim");
    const keys = await tenantKeys(2, { tenant });
    const ok = await burst(keys, (key, i) => call("PUT", `/v1/records/c/r${i}`, { key, body: i }));
    expect(ok).toBe(3);
    expect(await rows("SELECT count(*) AS n FROM records WHERE tenant = ?", tenant)).toBe(3);
  });

  it("goals", async () => {
    const tenant = uniqueTenant("lim");
    const keys = await tenantKeys(2, { tenant });
    const ok = await burst(keys, (key, i) =>
      call("POST", "/v1/goals", { key, body: { name: `g${i}`, every: "1h" } }),
    );
    expect(ok).toBe(3);
    expect(await rows("SELECT count(*) AS n FROM goals WHERE tenant = ?", tenant)).toBe(3);
  });

  it("formulas, leaving no version without its head", async () => {
    const tenant = uniqueTenant("lim");
    const keys = await tenantKeys(2, { tenant });
    const ok = await burst(keys, (key, i) =>
      call("PUT", `/v1/formulas/f${i}`, { key, body: { expr: `${i}` } }),
    );
    expect(ok).toBe(3);
    const live = "SELECT count(*) AS n FROM formulas WHERE tenant = ? AND deleted_at IS NULL";
    expect(await rows(live, tenant)).toBe(3);
    expect(await rows("SELECT count(*) AS n FROM formula_versions WHERE tenant = ?", tenant)).toBe(
      3,
    );
  });

  it("keys (two live already, so two more fit)", async () => {
    const tenant = uniqueTenant("lim");
    const keys = await tenantKeys(2, { tenant, scopes: ["admin"] });
    const ok = await burst(keys, (key) =>
      call("POST", "/v1/keys", { key, body: { scopes: ["formulas:read"] } }),
    );
    expect(ok).toBe(2);
    const live = "SELECT count(*) AS n FROM api_keys WHERE tenant = ? AND revoked_at IS NULL";
    expect(await rows(live, tenant)).toBe(4);
  });

  it("records written by record actions, delivered at once", async () => {
    const tenant = uniqueTenant("lim");
    const message = (i: number): ActionMessage => ({
      tenant,
      goalId: "g_00000000000000000000",
      cycle: 1,
      planned: {
        action: "save",
        rule: "r",
        kind: "record",
        key: `g_quota:${crypto.randomUUID()}:r:save`,
        payload: { collection: "c", key: `r${i}`, value: i },
        chain: { id: "quota:1", depth: 1 },
        dry_run: false,
        awaiting_approval: false,
      },
    });
    await Promise.all(
      Array.from({ length: N }, async (_, i) => {
        const batch = createMessageBatch<ActionMessage>("faas-actions", [
          { id: crypto.randomUUID(), timestamp: new Date(), attempts: 1, body: message(i) },
        ]);
        const ctx = createExecutionContext();
        await worker.queue(batch, env, ctx);
        await getQueueResult(batch, ctx);
      }),
    );
    expect(await rows("SELECT count(*) AS n FROM records WHERE tenant = ?", tenant)).toBe(3);
    const status =
      store === "mysql" ? "json_value(result, '$.status')" : "json_extract(result, '$.status')";
    expect(
      await rows(
        `SELECT count(*) AS n FROM action_runs WHERE tenant = ? AND ${status} = 'failed'`,
        tenant,
      ),
    ).toBe(N - 3);
  });
});
