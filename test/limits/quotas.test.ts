import { describe, expect, it } from "vitest";
import { call, eventually, uniqueTenant } from "../helpers.ts";
import { tenantKeys as keys } from "./keys.ts";

// This project's quotas (vitest.config.ts): 3 goals, 3 formulas, 3 records,
// 4 live keys, 500 history values per goal. Rate limit 5 per key per 10 s, so
// each test spreads its calls over several keys of one tenant.

describe("tenant quotas", () => {
  it("the 4th goal is a 403 QUOTA_EXCEEDED naming the quota; deleting one makes room", async () => {
    const [a, b] = await keys(2);
    const spec = { name: "q", every: "1h" };
    const ids = [];
    for (let i = 0; i < 3; i++)
      ids.push((await call("POST", "/v1/goals", { key: a, body: spec })).body.id);
    const over = await call("POST", "/v1/goals", { key: b, body: spec });
    expect(over.status).toBe(403);
    expect(over.body.error).toMatchObject({
      code: "QUOTA_EXCEEDED",
      details: { quota: "goals", limit: 3, used: 3 },
    });
    expect((await call("DELETE", `/v1/goals/${ids[0]}`, { key: b })).status).toBe(204);
    expect((await call("POST", "/v1/goals", { key: b, body: spec })).status).toBe(201);
  });

  it("formulas: a 4th name is refused, a new version of an existing one is not", async () => {
    const [a, b] = await keys(2);
    for (const n of ["f1", "f2", "f3"])
      expect((await call("PUT", `/v1/formulas/${n}`, { key: a, body: { expr: "1" } })).status).toBe(
        201,
      );
    const over = await call("PUT", "/v1/formulas/f4", { key: b, body: { expr: "1" } });
    expect(over.status).toBe(403);
    expect(over.body.error.details.quota).toBe("formulas");
    expect((await call("PUT", "/v1/formulas/f1", { key: b, body: { expr: "2" } })).status).toBe(
      200,
    );
  });

  it("records: a 4th key is refused, overwriting an existing one is not", async () => {
    const [a, b] = await keys(2);
    for (const k of ["r1", "r2", "r3"])
      expect((await call("PUT", `/v1/records/c/${k}`, { key: a, body: 1 })).status).toBe(200);
    const over = await call("PUT", "/v1/records/c/r4", { key: b, body: 1 });
    expect(over.status).toBe(403);
    expect(over.body.error.details.quota).toBe("records");
    expect((await call("PUT", "/v1/records/c/r1", { key: b, body: 2 })).status).toBe(200);
  });

  it("a record action over the quota ends failed, with the reason in the receipts", async () => {
    const [a, b] = await keys(2);
    for (const k of ["r1", "r2", "r3"])
      await call("PUT", `/v1/records/c/${k}`, { key: a, body: 1 });
    const created = await call("POST", "/v1/goals", {
      key: a,
      body: {
        name: "writer",
        every: "1h",
        decide: { rules: [{ id: "w", when: "true", cooldown: "1h", do: "save" }] },
        act: { save: { record: { collection: "c", key: "r9", value: 1 } } },
      },
    });
    const id = created.body.id as string;
    const result = await eventually(async () => {
      const cycles = (await call("GET", `/v1/goals/${id}/cycles`, { key: b })).body.cycles ?? [];
      return cycles.flatMap((c: { act_results: unknown[] }) => c.act_results)[0];
    });
    expect(result).toMatchObject({ action: "save", status: "failed" });
    expect(String((result as { error: string }).error)).toContain("records quota");
  });

  it("keys: the 5th live key is refused; revoked keys do not count", async () => {
    const tenant = uniqueTenant("lim");
    const [admin, other] = await keys(2, { tenant, scopes: ["admin"] });
    const body = { scopes: ["formulas:read"] };
    const made = [];
    for (let i = 0; i < 2; i++) {
      const res = await call("POST", "/v1/keys", { key: admin, body });
      expect(res.status).toBe(201);
      made.push(res.body.id as string);
    }
    const over = await call("POST", "/v1/keys", { key: other, body });
    expect(over.status).toBe(403);
    expect(over.body.error).toMatchObject({
      code: "QUOTA_EXCEEDED",
      details: { quota: "keys", limit: 4, used: 4 },
    });
    expect((await call("DELETE", `/v1/keys/${made[0]}`, { key: other })).status).toBe(204);
    const again = await call("POST", "/v1/keys", { key: other, body });
    expect(again.status).toBe(201);
    expect(again.body.tenant).toBe(tenant);
  });

  it("history: keep × names beyond the quota is refused at registration", async () => {
    const [a] = await keys(1);
    const observe = { x: { from: "push" }, y: { from: "push" } };
    const over = await call("POST", "/v1/goals", {
      key: a,
      body: { name: "h", keep: 251, observe },
    });
    expect(over.status).toBe(403);
    expect(over.body.error.details).toMatchObject({
      quota: "history_values",
      limit: 500,
      used: 502,
    });
    const fits = await call("POST", "/v1/goals", {
      key: a,
      body: { name: "h", keep: 250, observe },
    });
    expect(fits.status).toBe(201);
  });
});
