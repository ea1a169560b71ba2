import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ActionMessage } from "../../src/queues.ts";
import { seenBy } from "../helpers.ts";
import { storeRows } from "../store-sql.ts";

type Worker = {
  queue(batch: MessageBatch<ActionMessage>, env: Env, ctx: ExecutionContext): Promise<void>;
};
const worker = (await import("../../src/index.ts")).default as unknown as Worker;
void exports;

function webhookMessage(path: string): ActionMessage {
  const key = `g_test:${crypto.randomUUID()}:rule:notify`;
  return {
    tenant: "queue-tests",
    goalId: "g_00000000000000000000",
    cycle: 1,
    planned: {
      action: "notify",
      rule: "rule",
      kind: "webhook",
      key,
      payload: {
        url: `${env.TEST_RECEIVER}${path}`,
        method: "POST",
        headers: {},
        body: { n: 1 },
        timeout_ms: 2000,
      },
      chain: { id: "queue-tests:1", depth: 1 },
      dry_run: false,
      awaiting_approval: false,
    },
  };
}

async function deliver(queue: string, body: ActionMessage, attempts = 1) {
  const id = crypto.randomUUID();
  const batch = createMessageBatch<ActionMessage>(queue, [
    { id, timestamp: new Date(), attempts, body },
  ]);
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  return { id, result: await getQueueResult(batch, ctx) };
}

async function run(key: string) {
  const [row] = await storeRows<{ result: string }>(
    "SELECT result FROM action_runs WHERE `key` = ?",
    [key],
  );
  return row ?? null;
}

afterEach(() => vi.restoreAllMocks());

describe("the actions queue consumer", () => {
  it("runs a webhook once with its idempotency key, acks, and records the outcome", async () => {
    const path = `/ok/${crypto.randomUUID()}`;
    const message = webhookMessage(path);
    const { id, result } = await deliver("faas-actions", message);
    expect(result.explicitAcks).toEqual([id]);
    const seen = await seenBy(path);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.headers["idempotency-key"]).toBe(message.planned.key);
    expect(JSON.parse(seen[0]?.body ?? "")).toEqual({ n: 1 });
    expect(JSON.parse((await run(message.planned.key))?.result ?? "{}")).toMatchObject({
      status: "ok",
      http_status: 200,
      attempt: 1,
    });
  });

  it("a duplicate delivery never repeats the side effect", async () => {
    const path = `/ok/${crypto.randomUUID()}`;
    const message = webhookMessage(path);
    await deliver("faas-actions", message);
    const again = await deliver("faas-actions", message, 2);
    expect(again.result.explicitAcks).toEqual([again.id]);
    expect(await seenBy(path)).toHaveLength(1);
  });

  it("a 5xx is retried with exponential backoff and no outcome yet", async () => {
    const path = `/fail/${crypto.randomUUID()}`;
    const message = webhookMessage(path);
    // getQueueResult records a retry but not its delay; the consumer logs the delay it asked for.
    const lines: string[] = [];
    vi.spyOn(console, "warn").mockImplementation((line: string) => void lines.push(line));
    const first = await deliver("faas-actions", message, 1);
    expect(first.result.retryMessages).toEqual([{ msgId: first.id }]);
    const third = await deliver("faas-actions", message, 3);
    expect(third.result.retryMessages).toEqual([{ msgId: third.id }]);
    const delays = lines
      .map((l) => JSON.parse(l))
      // Only this message's: the runtime is shared with earlier files (isolate: false), whose
      // goals' retried webhooks can log theirs meanwhile.
      .filter((r) => r.msg === "action_retry" && r.key === message.planned.key)
      .map((r) => r.delay_s);
    expect(delays).toEqual([2, 8]);
    expect(third.result.explicitAcks).toEqual([]);
    expect(await run(message.planned.key)).toBeNull();
    expect(await seenBy(path)).toHaveLength(2);
  });

  it("a 4xx is a permanent failure: acked at once and reported failed", async () => {
    const message = webhookMessage(`/reject/${crypto.randomUUID()}`);
    const { id, result } = await deliver("faas-actions", message);
    expect(result.explicitAcks).toEqual([id]);
    expect(JSON.parse((await run(message.planned.key))?.result ?? "{}")).toMatchObject({
      status: "failed",
      http_status: 400,
    });
  });

  it("a target outside the rules is refused without a request", async () => {
    const message = webhookMessage("/ok/x");
    if (message.planned.kind === "webhook") message.planned.payload.url = "file:///etc/passwd";
    await deliver("faas-actions", message);
    expect(JSON.parse((await run(message.planned.key))?.result ?? "{}")).toMatchObject({
      status: "failed",
      error: expect.stringContaining("scheme"),
    });
  });

  it("the dead-letter consumer reports an action that used up its retries as failed", async () => {
    const message = webhookMessage(`/fail/${crypto.randomUUID()}`);
    const { id, result } = await deliver("faas-actions-dlq", message);
    expect(result.explicitAcks).toEqual([id]);
    expect(JSON.parse((await run(message.planned.key))?.result ?? "{}")).toMatchObject({
      status: "failed",
      attempt: 5,
    });
  });
});
