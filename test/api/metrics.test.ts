import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, eventually, goalTenant } from "../helpers.ts";

const PROMETHEUS = { accept: "text/plain" };
const HOSTILE = 'he said "stop" \\ then\nfaas_goal_cycles_total{tenant="other"} 1e9';

/** The Prometheus text of a tenant's metrics. */
async function scrape(key: string): Promise<string> {
  const res = await call("GET", "/v1/metrics", { key, headers: PROMETHEUS });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
  return res.body as string;
}

/** Sum of the samples of `name` whose line contains `labels`. */
function total(text: string, name: string, labels = ""): number {
  return text
    .split("\n")
    .filter((l) => l.startsWith(`${name}{`) && l.includes(labels))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(" ") + 1)), 0);
}

/** A goal with a hostile name whose rule calls the test receiver on each push. */
async function hookGoal(key: string) {
  const created = await call("POST", "/v1/goals", {
    key,
    body: {
      name: HOSTILE,
      every: "1h",
      observe: { x: { from: "push" } },
      decide: { rules: [{ id: "r", when: "x > 0", do: "hook" }] },
      act: { hook: { webhook: `${env.TEST_RECEIVER}/ok/metrics`, body: { x: "=x" } } },
    },
  });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  const pushed = await call("POST", `/v1/goals/${id}/observations`, {
    key,
    body: { name: "x", value: 1 },
  });
  expect(pushed.status).toBe(202);
  return id;
}

describe("GET /v1/metrics in the Prometheus form", () => {
  it("counts requests as a counter that grows between scrapes, by status class", async () => {
    const { key } = await goalTenant();
    await call("GET", "/v1/goals/nope", { key }); // a 404
    const first = await scrape(key);
    expect(total(first, "faas_http_requests_total", 'status_class="4xx"')).toBe(1);
    // The key was made by the operator: the 404 was the tenant's first request.
    const before = total(first, "faas_http_requests_total");
    expect(before).toBe(1);
    const second = await scrape(key);
    // The first scrape was itself a 2xx request.
    expect(total(second, "faas_http_requests_total")).toBe(before + 1);
    const count = total(second, "faas_http_request_duration_seconds_count");
    expect(count).toBe(total(second, "faas_http_requests_total"));
    expect(total(second, "faas_http_request_duration_seconds_bucket", 'le="+Inf"')).toBe(count);
  });

  it("counts a goal's cycles and actions under its id, and escapes its hostile name", async () => {
    const { tenant, key } = await goalTenant();
    const id = await hookGoal(key);
    const text = await eventually(async () => {
      const t = await scrape(key);
      return total(t, "faas_actions_completed_total", 'outcome="ok"') >= 1 ? t : undefined;
    }, 15_000);
    const own = `tenant="${tenant}",goal="${id}"`;
    expect(total(text, "faas_goal_cycles_total", own)).toBeGreaterThanOrEqual(1);
    expect(total(text, "faas_goal_actions_sent_total", own)).toBeGreaterThanOrEqual(1);
    expect(total(text, "faas_action_duration_seconds_count", 'kind="webhook"')).toBeGreaterThan(0);
    expect(text).toContain(
      `faas_goal_info{${own},name="he said \\"stop\\" \\\\ then\\nfaas_goal_cycles_total{tenant=\\"other\\"} 1e9"} 1`,
    );
    // The name's line feed made no line of its own.
    expect(
      text.split("\n").filter((l) => l.startsWith('faas_goal_cycles_total{tenant="other')),
    ).toEqual([]);
    expect(text).not.toContain('tenant="other"');

    // A deleted goal's series go with it.
    expect((await call("DELETE", `/v1/goals/${id}`, { key })).status).toBe(204);
    const after = await scrape(key);
    expect(after).not.toContain(id);
  });

  it("shows a tenant only its own series: never another tenant's label, goal or name", async () => {
    const a = await goalTenant();
    const b = await goalTenant();
    const goalA = await hookGoal(a.key);
    await eventually(async () => {
      const t = await scrape(a.key);
      return total(t, "faas_goal_cycles_total") >= 1 ? t : undefined;
    }, 15_000);
    for (let i = 0; i < 3; i++) await call("GET", "/v1/goals", { key: a.key });
    await call("GET", "/v1/goals", { key: b.key });
    const seen = await scrape(b.key);
    expect(seen).not.toContain(a.tenant);
    expect(seen).not.toContain(goalA);
    expect(seen).not.toContain("stop");
    const tenants = new Set([...seen.matchAll(/tenant="([^"]*)"/g)].map((m) => m[1]));
    expect(tenants).toEqual(new Set([b.tenant]));
    // B made one request before this scrape.
    expect(total(seen, "faas_http_requests_total")).toBe(1);
    expect(total(seen, "faas_goal_cycles_total")).toBe(0);
  });

  it("still answers JSON without Accept: text/plain", async () => {
    const { key } = await goalTenant();
    await call("GET", "/v1/goals", { key });
    const res = await call("GET", "/v1/metrics", { key });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.body.window).toBe("5m");
    expect(res.body.metrics["http.requests"]).toBeGreaterThanOrEqual(1);
    expect(Object.keys(res.body.metrics)).toContain("http.latency_ms.avg");
  });
});
