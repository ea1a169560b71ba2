/**
 * Sizes are UTF-8 bytes, checked before anything is written: a record or a
 * stream event of multi-byte characters just over its limit is a 413 that
 * stores nothing and tells no watcher, and a repeat with the same
 * Idempotency-Key is the same 413; just under the limit it is stored and
 * reaches the goals watching it through the queue.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, eventually, goalTenant } from "../helpers.ts";

/** `{"s":"€€…"}`: 3 bytes per character, 8 bytes of JSON around them. */
const euros = (count: number) => ({ s: "€".repeat(count) });
/** The most euros that fit 64 KiB as `{"s":"…"}` (65,534 bytes), and one more (65,537). */
const FITS = Math.floor((64 * 1024 - 8) / 3);
const OVER = FITS + 1;

/** A goal that counts what it observed from `source` as `doc` (the value's `s`). */
async function watcher(key: string, source: Record<string, string>) {
  const spec = {
    name: "watcher",
    every: "1h",
    observe: { doc: { ...source, path: "s" } },
    orient: { seen: "len(history.doc)" },
  };
  const created = await call("POST", "/v1/goals", { key, body: spec });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

/** The goal once it has observed `count` values; its latest is `doc`. */
const observedCount = (key: string, id: string, count: number) =>
  eventually(async () => {
    const goal = (await call("GET", `/v1/goals/${id}`, { key })).body;
    return goal.oriented?.seen === count ? goal : undefined;
  });

describe("record sizes in bytes", () => {
  it("a record of multi-byte characters over 64 KiB is a 413; nothing is written, no watcher hears of it", async () => {
    const { key, tenant } = await goalTenant();
    const collection = `big-${crypto.randomUUID().slice(0, 8)}`;
    const id = await watcher(key, { from: "record", collection });
    const path = `/v1/records/${collection}/k`;
    expect((await call("PUT", path, { key, body: { s: "small" } })).body.version).toBe(1);

    const headers = { "idempotency-key": `big-${crypto.randomUUID()}` };
    // Just over, twice with one Idempotency-Key (the repeat is the same 413), and far over.
    for (const [body, h] of [
      [euros(OVER), headers],
      [euros(OVER), headers],
      [euros(60_000), {}],
    ] as const) {
      const refused = await call("PUT", path, { key, body, headers: h });
      expect(refused.status).toBe(413);
      expect(refused.body.error.code).toBe("RECORD_TOO_LARGE");
    }
    const fresh = await call("PUT", `/v1/records/${collection}/new`, { key, body: euros(60_000) });
    expect(fresh.status).toBe(413);
    expect((await call("GET", `/v1/records/${collection}/new`, { key })).status).toBe(404);
    const kept = await call("GET", path, { key });
    expect(kept.body).toMatchObject({ version: 1, value: { s: "small" } });

    const fits = await call("PUT", path, { key, body: euros(FITS) });
    expect(fits.status).toBe(200);
    expect(fits.body.version).toBe(2);
    const goal = await observedCount(key, id, 2);
    expect(goal.latest.doc.value).toBe("€".repeat(FITS));
    const stored = await env.DB.prepare("SELECT count(*) AS n FROM records WHERE tenant = ?")
      .bind(tenant)
      .first<{ n: number }>();
    expect(stored?.n).toBe(1);
  });
});

describe("stream event sizes in bytes", () => {
  it("an event of multi-byte characters over 64 KiB is a 413 and reaches no goal; one under it does", async () => {
    const { key } = await goalTenant();
    const topic = `t-${crypto.randomUUID().slice(0, 8)}`;
    const id = await watcher(key, { from: "stream", topic });
    const headers = { "idempotency-key": `ev-${crypto.randomUUID()}` };
    for (const [body, h] of [
      [euros(OVER), headers],
      [euros(OVER), headers],
      [euros(60_000), {}],
    ] as const) {
      const refused = await call("POST", `/v1/streams/${topic}`, { key, body, headers: h });
      expect(refused.status).toBe(413);
      expect(refused.body.error.code).toBe("EVENT_TOO_LARGE");
    }
    const fits = await call("POST", `/v1/streams/${topic}`, { key, body: euros(FITS) });
    expect(fits.status).toBe(202);
    const goal = await observedCount(key, id, 1);
    expect(goal.latest.doc.value).toBe("€".repeat(FITS));
  });
});

describe("other limits count bytes too", () => {
  it("a goal spec over 64 KiB of UTF-8 is a 413, though under 64 Ki characters", async () => {
    const { key } = await goalTenant();
    const spec = { name: "b", params: { blob: "€".repeat(22_000) } };
    const res = await call("POST", "/v1/goals", { key, body: spec });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe("SPEC_TOO_LARGE");
  });

  it("an observation over 16 KiB of UTF-8 is a 413, though under 16 Ki characters", async () => {
    const { key } = await goalTenant();
    const spec = { name: "o", every: "1h", observe: { x: { from: "push" } } };
    const id = (await call("POST", "/v1/goals", { key, body: spec })).body.id;
    const res = await call("POST", `/v1/goals/${id}/observations`, {
      key,
      body: { name: "x", value: "€".repeat(5_500) },
    });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe("OBSERVATION_TOO_LARGE");
  });
});
