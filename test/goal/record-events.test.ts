/**
 * A record change and its event are stored together (the outbox): when the
 * queue refuses the event after the record was written, the write still
 * answers for what it stored, the event waits, and the cron sends it, so the
 * goals watching the record hear of the change.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { database } from "../../src/db/client.ts";
import { RECORD_EVENT_GRACE_MS, sendWaitingRecordEvents } from "../../src/goal/record-events.ts";
import { call, eventually, goalTenant } from "../helpers.ts";
import { storeRows } from "../store-sql.ts";

type Worker = { fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> };
const worker = (await import("../../src/index.ts")).default as unknown as Worker;

/** The Worker's env with an OBSERVATIONS queue that refuses every message. */
const queueDown: Env = {
  ...env,
  OBSERVATIONS: {
    send: () => Promise.reject(new Error("queue unavailable")),
    sendBatch: () => Promise.reject(new Error("queue unavailable")),
  } as unknown as Env["OBSERVATIONS"],
};

async function callQueueDown(method: string, path: string, key: string, body?: unknown) {
  const ctx = createExecutionContext();
  const response = await worker.fetch(
    new Request(`http://faas.test${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    queueDown,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return { status: response.status, text: await response.text() };
}

const waiting = (tenant: string) =>
  storeRows<{ value: string | null; version: number }>(
    "SELECT value, version FROM record_events WHERE tenant = ? ORDER BY id",
    [tenant],
  );

const cron = () => sendWaitingRecordEvents(env, database(env), Date.now() + RECORD_EVENT_GRACE_MS);

describe("record events", () => {
  it("leave the outbox once sent", async () => {
    const { key, tenant } = await goalTenant();
    expect((await call("PUT", "/v1/records/sent/k", { key, body: { qty: 1 } })).status).toBe(200);
    expect((await call("DELETE", "/v1/records/sent/k", { key })).status).toBe(204);
    expect(await waiting(tenant)).toEqual([]);
  });

  it("a change whose event the queue refused is stored, answered, and reaches its watchers by the cron", async () => {
    const { key, tenant } = await goalTenant();
    const collection = `out-${crypto.randomUUID().slice(0, 8)}`;
    const spec = {
      name: "watch",
      every: "1h",
      observe: { qty: { from: "record", collection, key: "k", path: "qty" } },
      orient: { seen: "len(history.qty)" },
    };
    const id = (await call("POST", "/v1/goals", { key, body: spec })).body.id as string;

    const put = await callQueueDown("PUT", `/v1/records/${collection}/k`, key, { qty: 7 });
    expect(put.status).toBe(200);
    expect(JSON.parse(put.text)).toMatchObject({ version: 1, value: { qty: 7 } });
    expect(await waiting(tenant)).toEqual([{ value: '{"qty":7}', version: 1 }]);

    expect(await cron()).toBeGreaterThanOrEqual(1);
    expect(await waiting(tenant)).toEqual([]);
    const goal = await eventually(async () => {
      const res = (await call("GET", `/v1/goals/${id}`, { key })).body;
      return res.oriented?.seen === 1 ? res : undefined;
    });
    expect(goal.latest.qty.value).toBe(7);

    const deleted = await callQueueDown("DELETE", `/v1/records/${collection}/k`, key);
    expect(deleted.status).toBe(204);
    expect(await waiting(tenant)).toEqual([{ value: null, version: 0 }]);
    await cron();
    const gone = await eventually(async () => {
      const res = (await call("GET", `/v1/goals/${id}`, { key })).body;
      return res.oriented?.seen === 2 ? res : undefined;
    });
    expect(gone.latest.qty.value).toBeNull();
  });
});
