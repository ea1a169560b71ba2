import { beforeEach, describe, expect, it } from "vitest";
import { call } from "../helpers.ts";
import { tenantKeys } from "./keys.ts";
import { freshWindow } from "./window.ts";

// This project's API_RATE_LIMIT allows 5 requests per key per 10 s, TENANT_RATE_LIMIT
// 12 per tenant per 10 s (vitest.config.ts).
// Each test counts up to a limit inside one rate-limit window.
beforeEach(() => freshWindow());

describe("rate limits per API key", () => {
  it("the 6th request in the window is a 429 with Retry-After; another key is unaffected", async () => {
    const [a, b] = await tenantKeys(2);
    const statuses = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await call("GET", "/v1/formulas", { key: a })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const limited = await call("GET", "/v1/formulas", { key: a });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe("RATE_LIMITED");
    expect(limited.headers.get("retry-after")).toBe("10");
    expect(limited.body.error.details).toMatchObject({ per: "key", retry_after_s: 10 });
    expect((await call("GET", "/v1/formulas", { key: b })).status).toBe(200);
  });

  it("an unknown key is refused before it counts against anyone", async () => {
    const [key] = await tenantKeys(1);
    for (let i = 0; i < 10; i++)
      expect((await call("GET", "/v1/formulas", { key: `${key}x` })).status).toBe(401);
    expect((await call("GET", "/v1/formulas", { key })).status).toBe(200);
  });

  it("the ingest route is limited per goal", async () => {
    const [key] = await tenantKeys(1);
    const created = await call("POST", "/v1/goals", {
      key,
      body: { name: "ingest", every: "1h", observe: { x: { from: "push" } } },
    });
    const secret = created.body.ingest_secret as string;
    const path = `/ingest/goals/${created.body.id}/observations`;
    const statuses = [];
    for (let i = 0; i < 6; i++)
      statuses.push(
        (await call("POST", path, { key: secret, body: { name: "x", value: i } })).status,
      );
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
  });
});

describe("rate limits per tenant", () => {
  it("many keys of one tenant share its limit: the 13th request is a 429 saying tenant", async () => {
    const keys = await tenantKeys(4);
    const statuses = [];
    // 3 requests per key, well under the per-key limit; 12 in all, the tenant's limit.
    for (let i = 0; i < 12; i++)
      statuses.push((await call("GET", "/v1/formulas", { key: keys[i % 4] })).status);
    expect(statuses).toEqual(Array(12).fill(200));
    const limited = await call("GET", "/v1/formulas", { key: keys[0] });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("10");
    expect(limited.body.error).toMatchObject({
      code: "RATE_LIMITED",
      details: { per: "tenant", retry_after_s: 10 },
    });
    expect(limited.body.error.message).toContain("tenant");
    // Another tenant is not affected.
    const [other] = await tenantKeys(1);
    expect((await call("GET", "/v1/formulas", { key: other })).status).toBe(200);
  });

  it("a request refused for its key does not spend the tenant's allowance", async () => {
    const [a, b, c] = await tenantKeys(3);
    for (let i = 0; i < 10; i++) await call("GET", "/v1/formulas", { key: a });
    // a: 5 allowed, 5 refused per key; b and c may still use the other 7 of 12.
    const statuses = [];
    for (let i = 0; i < 7; i++)
      statuses.push((await call("GET", "/v1/formulas", { key: i % 2 ? b : c })).status);
    expect(statuses).toEqual(Array(7).fill(200));
    const over = await call("GET", "/v1/formulas", { key: c });
    expect(over.body.error.details.per).toBe("tenant");
  });
});
