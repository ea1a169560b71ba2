/**
 * A batch from a queue the Worker has no consumer for (wrangler.toml and
 * src/queues.ts drifted apart) is not acked: the handler throws, so the
 * platform retries it, and the error is logged.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";

type Worker = {
  queue(batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext): Promise<void>;
};
const worker = (await import("../../src/index.ts")).default as unknown as Worker;

afterEach(() => vi.restoreAllMocks());

describe("a batch from an unknown queue", () => {
  it("is neither acked nor dropped: the handler throws and logs an error naming the queue", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const id = crypto.randomUUID();
    const batch = createMessageBatch<unknown>("faas-renamed-queue", [
      { id, timestamp: new Date(), attempts: 1, body: { type: "observations" } },
    ]);
    const ctx = createExecutionContext();
    await expect(worker.queue(batch, env, ctx)).rejects.toThrow(/faas-renamed-queue/);
    const result = await getQueueResult(batch, ctx);
    expect(result.ackAll).toBe(false);
    expect(result.explicitAcks).toEqual([]);
    const logged = errors.mock.calls.map(([line]) => JSON.parse(String(line)));
    expect(logged).toContainEqual(
      expect.objectContaining({ msg: "queue_unknown", queue: "faas-renamed-queue" }),
    );
  });
});
