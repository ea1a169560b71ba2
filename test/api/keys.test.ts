import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { database } from "../../src/db/client.ts";
import { ADMIN, call, createKey, uniqueTenant } from "../helpers.ts";

describe("API keys", () => {
  it("the operator creates a key that is shown once and stored only as a hash", async () => {
    const tenant = uniqueTenant();
    const created = await call("POST", "/v1/keys", {
      key: ADMIN,
      body: { tenant, scopes: ["formulas:read"], name: "reader" },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ tenant, scopes: ["formulas:read"], name: "reader" });
    expect(created.body.key).toMatch(/^afk_[A-Za-z0-9_-]{32}$/);

    const db = database(env);
    const [stored] = await db
      .select()
      .from(db.t.apiKeys)
      .where(eq(db.t.apiKeys.id, created.body.id as string));
    expect(JSON.stringify(stored)).not.toContain(created.body.key);
    expect(stored?.hash).toMatch(/^[0-9a-f]{64}$/);

    const listed = await call("GET", `/v1/keys?tenant=${tenant}`, { key: ADMIN });
    expect(listed.status).toBe(200);
    expect(listed.body.keys.map((k: { id: string }) => k.id)).toEqual([created.body.id]);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.key);
  });

  it("a revoked key stops working on the next request", async () => {
    const tenant = uniqueTenant();
    const created = await call("POST", "/v1/keys", {
      key: ADMIN,
      body: { tenant, scopes: ["formulas:read"] },
    });
    const key = created.body.key as string;
    expect((await call("GET", "/v1/formulas", { key })).status).toBe(200);

    const revoked = await call("DELETE", `/v1/keys/${created.body.id}`, { key: ADMIN });
    expect(revoked.status).toBe(204);
    const after = await call("GET", "/v1/formulas", { key });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe("UNAUTHENTICATED");
    expect((await call("DELETE", `/v1/keys/${created.body.id}`, { key: ADMIN })).status).toBe(404);
  });

  it("a key id with a trailing space or another case is no key (MySQL's collation ignores trailing spaces)", async () => {
    const created = await call("POST", "/v1/keys", {
      key: ADMIN,
      body: { tenant: uniqueTenant(), scopes: ["formulas:read"] },
    });
    const id = created.body.id as string;
    for (const other of [`${id}%20`, `${id}%20%20`, `${id}%09`, id.toUpperCase()])
      expect((await call("DELETE", `/v1/keys/${other}`, { key: ADMIN })).status).toBe(404);
    expect((await call("GET", "/v1/formulas", { key: created.body.key })).status).toBe(200);
  });

  it("no key, a malformed header or an unknown key is 401 with the error envelope", async () => {
    for (const headers of [
      {},
      { authorization: "Basic abc" },
      { authorization: "Bearer afk_nope" },
    ] as Record<string, string>[]) {
      const res = await call("GET", "/v1/formulas", { headers });
      expect(res.status).toBe(401);
      expect(res.body.error).toMatchObject({ code: "UNAUTHENTICATED" });
      expect(typeof res.body.error.message).toBe("string");
    }
  });

  it("a tenant admin manages only its own tenant's keys", async () => {
    const tenant = uniqueTenant();
    const other = uniqueTenant();
    const admin = await createKey(tenant, ["admin"]);
    const otherKey = await call("POST", "/v1/keys", {
      key: ADMIN,
      body: { tenant: other, scopes: ["observe"] },
    });

    const forOther = await call("POST", "/v1/keys", {
      key: admin,
      body: { tenant: other, scopes: ["observe"] },
    });
    expect(forOther.status).toBe(403);

    const own = await call("POST", "/v1/keys", { key: admin, body: { scopes: ["goals:read"] } });
    expect(own.status).toBe(201);
    expect(own.body.tenant).toBe(tenant);

    const listed = await call("GET", `/v1/keys?tenant=${other}`, { key: admin });
    expect(listed.body.keys.every((k: { tenant: string }) => k.tenant === tenant)).toBe(true);
    expect(listed.body.keys).toHaveLength(2);

    expect((await call("DELETE", `/v1/keys/${otherKey.body.id}`, { key: admin })).status).toBe(404);
  });

  it("creating a key without the admin scope is 403 naming the scope", async () => {
    const key = await createKey(uniqueTenant(), ["formulas:write"]);
    const res = await call("POST", "/v1/keys", { key, body: { scopes: ["admin"] } });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: "FORBIDDEN", details: { required: "admin" } });
  });

  it("an unknown scope or tenant is rejected with the field named", async () => {
    const res = await call("POST", "/v1/keys", {
      key: ADMIN,
      body: { tenant: "Bad Tenant!", scopes: ["root"] },
    });
    expect(res.status).toBe(400);
    const paths = res.body.error.details.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(["tenant", "scopes.0"]));
  });
});
