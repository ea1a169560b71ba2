/**
 * One convention for times across the API: every time in a response is an
 * ISO 8601 string in UTC with milliseconds; a time in a request may be that,
 * ISO 8601 with an offset, or epoch milliseconds. Receipts are stored with
 * epoch ms (replay compares them) and converted on the way out.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ADMIN, call, createKey, goalTenant, uniqueTenant } from "../helpers.ts";

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** Every `at`, `*_at` and `*_until` field anywhere in `value`, with its path. */
function times(value: unknown, path = ""): [string, unknown][] {
  if (Array.isArray(value)) return value.flatMap((item, i) => times(item, `${path}[${i}]`));
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([name, inner]) => {
    const here = path === "" ? name : `${path}.${name}`;
    const own: [string, unknown][] =
      (name === "at" || name.endsWith("_at") || name.endsWith("_until")) && inner !== null
        ? [[here, inner]]
        : [];
    return [...own, ...times(inner, here)];
  });
}

/** Fails naming every time field that is not ISO 8601 UTC with ms; returns how many it saw. */
function expectIsoTimes(body: unknown): number {
  const found = times(body);
  expect(found.filter(([, value]) => typeof value !== "string" || !ISO.test(value))).toEqual([]);
  return found.length;
}

const approving = (url: string) => ({
  name: "times",
  every: "1h",
  observe: { x: { from: "push" } },
  decide: { rules: [{ id: "low", when: "x < 5", do: "hook" }] },
  act: { hook: { webhook: url, body: { x: "=x" } } },
  guard: { approve: ["hook"] },
});

describe("times in the API", () => {
  it("are ISO 8601 UTC strings in every response that carries one: keys, formulas, records, goals, receipts, approvals, secrets", async () => {
    const tenant = uniqueTenant();
    const key = await createKey(tenant, ["admin"]);
    let seen = 0;
    const check = async (method: string, path: string, body?: unknown) => {
      const res = await call(method, path, { key, body });
      expect(res.status, `${method} ${path}`).toBeLessThan(300);
      seen += expectIsoTimes(res.body);
      return res.body;
    };
    await check("GET", "/v1/keys");
    await check("PUT", "/v1/formulas/double", { expr: "2 * x", params: ["x"] });
    await check("GET", "/v1/formulas/double/versions/1");
    await check("PUT", "/v1/records/stock/widget", { n: 1 });
    await check("GET", "/v1/records/stock");
    const goal = await check("POST", "/v1/goals", approving(`${env.TEST_RECEIVER}/ok/times`));
    const id = goal.id as string;
    await check("POST", `/v1/goals/${id}/observations`, { name: "x", value: 1 });
    const view = await check("GET", `/v1/goals/${id}`);
    expect(view.awaiting_approval).toHaveLength(1);
    await check("GET", "/v1/goals");
    await check("GET", `/v1/approvals?status=pending`);
    await check("GET", `/v1/goals/${id}/approvals`);
    await check("POST", `/v1/goals/${id}/approvals/${view.awaiting_approval[0].key}/reject`, {});
    await check("POST", `/v1/goals/${id}/observations`, { name: "x", value: 9 });
    const trail = await check("GET", `/v1/goals/${id}/cycles`);
    expect(trail.cycles.some((r: { decisions: unknown[] }) => r.decisions.length > 0)).toBe(true);
    expect(trail.cycles.some((r: { act_results: unknown[] }) => r.act_results.length > 0)).toBe(
      true,
    );
    await check("POST", `/v1/goals/${id}/replay`, {});
    const rotated = await check("POST", `/v1/goals/${id}/secret`);
    expect(rotated.previous_valid_until).toMatch(ISO);
    // Receipts alone carry at, observed.x[].at, act_results[].at and decisions[].at.
    expect(seen).toBeGreaterThan(30);
  });

  it("in a request may be epoch ms or ISO 8601 with any offset; the receipt shows the same instant in UTC", async () => {
    const { key } = await goalTenant();
    const created = await call("POST", "/v1/goals", {
      key,
      body: { name: "at", every: "1h", observe: { x: { from: "push" }, y: { from: "push" } } },
    });
    const id = created.body.id as string;
    const pushed = await call("POST", `/v1/goals/${id}/observations`, {
      key,
      body: {
        observations: [
          { name: "x", value: 1, at: 1_796_563_200_000 },
          { name: "y", value: 2, at: "2026-12-06T14:00:00.5+01:00" },
        ],
      },
    });
    expect(pushed.status).toBe(202);
    const trail = await call("GET", `/v1/goals/${id}/cycles`, { key });
    const last = trail.body.cycles.at(-1);
    expect(last.observed).toEqual({
      x: [{ value: 1, at: "2026-12-06T13:20:00.000Z", source: "push" }],
      y: [{ value: 2, at: "2026-12-06T13:00:00.500Z", source: "push" }],
    });
    expect(last.at).toMatch(ISO);
    expect(Math.abs(Date.parse(last.at) - Date.now())).toBeLessThan(60_000);
    // The goal's view agrees.
    const view = await call("GET", `/v1/goals/${id}`, { key });
    expect(view.body.latest.y).toEqual({ value: 2, at: "2026-12-06T13:00:00.500Z" });
  });

  it("simulate takes either form in its timeline and answers ISO; replay stays exact", async () => {
    const { key } = await goalTenant();
    const spec = {
      name: "sim",
      every: "1m",
      observe: { x: { from: "push" } },
      decide: { rules: [{ id: "high", when: "x > 10", do: "hook" }] },
      act: { hook: { webhook: `${env.TEST_RECEIVER}/ok/sim`, body: {} } },
      guard: { dry_run: true },
    };
    const simulated = await call("POST", "/v1/goals/simulate", {
      key,
      body: {
        spec,
        observations: [
          { at: 0, values: { x: 1 } },
          { at: "1970-01-01T00:01:00Z", values: { x: 11 } },
        ],
      },
    });
    expect(simulated.status).toBe(200);
    const cycles = simulated.body.cycles as { at: string; observed: { x: { at: string }[] } }[];
    expect(cycles.map((c) => c.at)).toEqual([
      "1970-01-01T00:00:00.000Z",
      "1970-01-01T00:01:00.000Z",
    ]);
    expect(cycles[1]?.observed.x[0]?.at).toBe("1970-01-01T00:01:00.000Z");

    const created = await call("POST", "/v1/goals", { key, body: spec });
    const id = created.body.id as string;
    await call("POST", `/v1/goals/${id}/observations`, { key, body: { name: "x", value: 12 } });
    const replayed = await call("POST", `/v1/goals/${id}/replay`, { key, body: {} });
    expect(replayed.status).toBe(200);
    expect(replayed.body.compared.differing).toEqual([]);
    expect(replayed.body.compared.receipts).toBeGreaterThan(0);
    expect(expectIsoTimes(replayed.body)).toBeGreaterThan(1);
    // The replayed receipts are the stored ones as the API shows them, times included.
    const trail = await call("GET", `/v1/goals/${id}/cycles`, { key });
    const stored = new Map(
      trail.body.cycles.map(({ polls: _p, duration_ms: _d, ...rest }: Record<string, unknown>) => [
        rest.cycle,
        rest,
      ]),
    );
    for (const receipt of replayed.body.cycles) expect(receipt).toEqual(stored.get(receipt.cycle));
  });

  it.each([
    ["a word", "yesterday"],
    ["a local time without an offset", "2026-12-06T13:00:00"],
    ["a date alone", "2026-12-06"],
    ["a negative number", -1],
    ["a fraction of a millisecond", 1.5],
    ["an impossible date", "2026-02-30T00:00:00Z"],
  ])(
    "in a request is refused as %s (400, naming the field), and nothing is taken",
    async (_, at) => {
      const { key } = await goalTenant();
      const created = await call("POST", "/v1/goals", {
        key,
        body: { name: "bad-at", every: "1h", observe: { x: { from: "push" } } },
      });
      const id = created.body.id as string;
      const before = (await call("GET", `/v1/goals/${id}/cycles`, { key })).body.cycles.length;
      const res = await call("POST", `/v1/goals/${id}/observations`, {
        key,
        body: { name: "x", value: 1, at },
      });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_FAILED");
      expect(JSON.stringify(res.body.error.details)).toContain("at");
      const after = (await call("GET", `/v1/goals/${id}/cycles`, { key })).body.cycles.length;
      expect(after).toBe(before);
    },
  );

  it("are ISO for the operator's view of keys too", async () => {
    const res = await call("GET", "/v1/keys", { key: ADMIN });
    expect(res.status).toBe(200);
    expect(expectIsoTimes(res.body)).toBeGreaterThan(0);
  });
});
