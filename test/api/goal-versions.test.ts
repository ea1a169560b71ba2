/**
 * `PUT /v1/goals/:id` makes a new spec version. Concurrent changes each get a
 * version of their own (a compare-and-swap in D1, retried), the last stored
 * wins in D1 and in the goal's object alike, and `If-Match` turns a stale
 * change into a 409, as for formulas.
 */
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { database } from "../../src/db/client.ts";
import { goalStub } from "../../src/goal/stub.ts";
import type { GoalSpec } from "../../src/spec/index.ts";
import { call, goalTenant } from "../helpers.ts";

/** A spec watching record `c/k<n>`, so each version has subscriptions of its own. */
const specNumber = (n: number) => ({
  name: `v${n}`,
  every: "1h",
  params: { n },
  observe: { s: { from: "record", collection: "c", key: `k${n}` } },
});

describe("goal spec versions", () => {
  it("six concurrent PUTs each report a version of their own; the goal and D1 end on the highest", async () => {
    const { tenant, key } = await goalTenant();
    const id = (await call("POST", "/v1/goals", { key, body: specNumber(0) })).body.id as string;
    const puts = await Promise.all(
      [1, 2, 3, 4, 5, 6].map((n) => call("PUT", `/v1/goals/${id}`, { key, body: specNumber(n) })),
    );
    expect(puts.map((p) => p.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const versions = puts.map((p) => p.body.spec_version as number);
    expect([...versions].sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7]);
    for (const p of puts) {
      expect(p.headers.get("etag")).toBe(`"${p.body.spec_version}"`);
      // Each answer shows the spec its own request stored under its version.
      expect(p.body.spec.name).toBe(p.body.name);
    }
    const last = puts.find((p) => p.body.spec_version === 7)?.body.spec as GoalSpec;

    const read = await call("GET", `/v1/goals/${id}`, { key });
    expect(read.headers.get("etag")).toBe('"7"');
    expect(read.body).toMatchObject({ spec_version: 7, spec: last });
    const object = await goalStub(env, id).recorded(tenant);
    expect(object?.spec).toEqual(last);
    expect((await goalStub(env, id).view(tenant))?.spec_version).toBe(7);
    const db = database(env);
    const { goalSubscriptions } = db.t;
    const subscriptions = await db
      .select({ target: goalSubscriptions.target })
      .from(goalSubscriptions)
      .where(eq(goalSubscriptions.goalId, id));
    expect(subscriptions).toEqual([{ target: `c/k${last.params.n}` }]);
  });

  it('If-Match: "N" replaces only version N; a stale one is a 409 VERSION_CONFLICT naming the current', async () => {
    const { key } = await goalTenant();
    const created = await call("POST", "/v1/goals", { key, body: specNumber(0) });
    const id = created.body.id as string;
    expect((await call("GET", `/v1/goals/${id}`, { key })).headers.get("etag")).toBe('"1"');

    const current = await call("PUT", `/v1/goals/${id}`, {
      key,
      body: specNumber(1),
      headers: { "if-match": '"1"' },
    });
    expect(current.status).toBe(200);
    expect(current.headers.get("etag")).toBe('"2"');

    const stale = await call("PUT", `/v1/goals/${id}`, {
      key,
      body: specNumber(2),
      headers: { "if-match": '"1"' },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: "VERSION_CONFLICT", details: { current: 2 } });
    const after = await call("GET", `/v1/goals/${id}`, { key });
    expect(after.body).toMatchObject({ spec_version: 2, name: "v1" });

    const garbled = await call("PUT", `/v1/goals/${id}`, {
      key,
      body: specNumber(2),
      headers: { "if-match": "latest" },
    });
    expect(garbled.status).toBe(400);
  });

  it("the goal ignores a change older than its own version, answering as it is", async () => {
    const { tenant, key } = await goalTenant();
    const id = (await call("POST", "/v1/goals", { key, body: specNumber(0) })).body.id as string;
    await call("PUT", `/v1/goals/${id}`, { key, body: specNumber(1) });
    const late = await goalStub(env, id).update(tenant, specNumber(9) as unknown as GoalSpec, 2);
    expect(late).toMatchObject({ spec_version: 2, name: "v1" });
    expect((await goalStub(env, id).recorded(tenant))?.spec.name).toBe("v1");
  });

  it("/openapi.json documents If-Match on PUT /v1/goals/{id}", async () => {
    const doc = (await call("GET", "/openapi.json")).body;
    const params = doc.paths["/v1/goals/{id}"].put.parameters as { name: string; in: string }[];
    expect(params).toContainEqual(expect.objectContaining({ name: "If-Match", in: "header" }));
  });
});
