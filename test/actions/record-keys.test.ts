/**
 * A record action's collection and key (a rendered formula's included) are
 * held to the same 1-128 of `A-Z a-z 0-9 _ . -` as `/v1/records/…`. Found on
 * MySQL: a rendered key `k ` overwrote record `k` (its collation ignores
 * trailing spaces), a key over 256 characters did not fit its column and the
 * action was retried; on D1 both wrote records the API could not read or delete.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ActionMessage } from "../../src/queues.ts";
import { call, createKey, uniqueTenant } from "../helpers.ts";
import { storeRows } from "../store-sql.ts";

type Worker = {
  queue(batch: MessageBatch<ActionMessage>, env: Env, ctx: ExecutionContext): Promise<void>;
};
const worker = (await import("../../src/index.ts")).default as unknown as Worker;

function recordMessage(tenant: string, collection: string, key: string): ActionMessage {
  return {
    tenant,
    goalId: "g_00000000000000000000",
    cycle: 1,
    planned: {
      action: "save",
      rule: "r",
      kind: "record",
      key: `g_keys:${crypto.randomUUID()}:r:save`,
      payload: { collection, key, value: { by: "action" } },
      chain: { id: "keys:1", depth: 1 },
      dry_run: false,
      awaiting_approval: false,
    },
  };
}

async function deliver(message: ActionMessage) {
  const id = crypto.randomUUID();
  const batch = createMessageBatch<ActionMessage>("faas-actions", [
    { id, timestamp: new Date(), attempts: 1, body: message },
  ]);
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  const result = await getQueueResult(batch, ctx);
  const [run] = await storeRows<{ result: string }>(
    "SELECT result FROM action_runs WHERE `key` = ?",
    [message.planned.key],
  );
  return { acked: result.explicitAcks.includes(id), result: JSON.parse(run?.result ?? "{}") };
}

describe("record actions and record key rules", () => {
  it("a key with a trailing space fails the action and leaves record `k` alone", async () => {
    const tenant = uniqueTenant("rkeys");
    const key = await createKey(tenant, ["records:read", "records:write"]);
    expect((await call("PUT", "/v1/records/c/k", { key, body: { by: "api" } })).status).toBe(200);
    for (const bad of ["k ", "k  ", "k\t", "a b"]) {
      const { acked, result } = await deliver(recordMessage(tenant, "c", bad));
      expect(acked).toBe(true);
      expect(result).toMatchObject({ action: "save", status: "failed", attempt: 1 });
      expect(result.error).toContain("must be 1-128 of A-Z a-z 0-9 _ . -");
    }
    const read = await call("GET", "/v1/records/c/k", { key });
    expect(read.body).toMatchObject({ key: "k", value: { by: "api" }, version: 1 });
    const list = await call("GET", "/v1/records/c", { key });
    expect((list.body as { records: { key: string }[] }).records.map((r) => r.key)).toEqual(["k"]);
  });

  it("a key or collection past 128 characters fails at once instead of being retried", async () => {
    const tenant = uniqueTenant("rkeys");
    for (const [collection, k] of [
      ["c", "x".repeat(129)],
      ["c", "x".repeat(300)],
      ["y".repeat(129), "k"],
    ] as const) {
      const { acked, result } = await deliver(recordMessage(tenant, collection, k));
      expect(acked).toBe(true);
      expect(result).toMatchObject({ status: "failed", attempt: 1 });
    }
    const [row] = await storeRows<{ n: number }>(
      "SELECT count(*) AS n FROM records WHERE tenant = ?",
      [tenant],
    );
    expect(Number(row?.n)).toBe(0);
    const ok = await deliver(recordMessage(tenant, "c", "x".repeat(128)));
    expect(ok.result).toMatchObject({ status: "ok", value: { version: 1 } });
  });
});
