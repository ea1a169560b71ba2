/**
 * A record action is held to the same 64 KiB (UTF-8 bytes of its JSON) as
 * `PUT /v1/records/…`: one over it fails the action at once, writes nothing
 * and files no change event; one that fits is written.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ActionMessage } from "../../src/queues.ts";
import { uniqueTenant } from "../helpers.ts";
import { storeRows } from "../store-sql.ts";

type Worker = {
  queue(batch: MessageBatch<ActionMessage>, env: Env, ctx: ExecutionContext): Promise<void>;
};
const worker = (await import("../../src/index.ts")).default as unknown as Worker;

/** "€" is 3 bytes in UTF-8, so a string of n of them is 3n + 2 bytes of JSON: 65,537 and 65,534. */
const OVER = 21_845;
const FITS = 21_844;

function recordMessage(tenant: string, key: string, value: string): ActionMessage {
  return {
    tenant,
    goalId: "g_00000000000000000000",
    cycle: 1,
    planned: {
      action: "save",
      rule: "r",
      kind: "record",
      key: `g_size:${crypto.randomUUID()}:r:save`,
      payload: { collection: "c", key, value },
      chain: { id: "size:1", depth: 1 },
      dry_run: false,
      awaiting_approval: false,
    },
  };
}

/** Delivers the message once; returns whether it was acked and the action's stored result. */
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

async function count(sql: string, tenant: string): Promise<number> {
  const [row] = await storeRows<{ n: number }>(sql, [tenant]);
  return Number(row?.n ?? 0);
}

describe("record actions and the record size limit", () => {
  it("a value over 64 KiB fails the action at once and writes nothing", async () => {
    const tenant = uniqueTenant("size");
    const { acked, result } = await deliver(recordMessage(tenant, "big", "€".repeat(OVER)));
    expect(acked).toBe(true);
    expect(result).toMatchObject({ action: "save", status: "failed", attempt: 1 });
    expect(result.error).toBe(
      `a record is at most 65536 bytes of JSON (UTF-8); this one is ${3 * OVER + 2}`,
    );
    expect(await count("SELECT count(*) AS n FROM records WHERE tenant = ?", tenant)).toBe(0);
    expect(await count("SELECT count(*) AS n FROM record_events WHERE tenant = ?", tenant)).toBe(0);
  });

  it("a value just under 64 KiB is written", async () => {
    const tenant = uniqueTenant("size");
    const { result } = await deliver(recordMessage(tenant, "fits", "€".repeat(FITS)));
    expect(result).toMatchObject({ action: "save", status: "ok", value: { version: 1 } });
    const [row] = await storeRows<{ value: string }>(
      "SELECT value FROM records WHERE tenant = ? AND `key` = ?",
      [tenant, "fits"],
    );
    expect(JSON.parse(row?.value ?? "null")).toBe("€".repeat(FITS));
  });
});
