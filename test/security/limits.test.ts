import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, goalTenant } from "../helpers.ts";

const nested = (depth: number) => `${"[".repeat(depth)}1${"]".repeat(depth)}`;

describe("request limits", () => {
  it("JSON deeper than 32 levels is a 400 on every JSON route; 32 is fine", async () => {
    const { key } = await goalTenant();
    for (const [method, path] of [
      ["PUT", "/v1/records/deep/k"],
      ["POST", "/v1/goals"],
      ["POST", "/v1/eval"],
      ["POST", "/v1/streams/topic"],
    ] as const) {
      const res = await call(method, path, { key, body: nested(33) });
      expect(res.status, path).toBe(400);
      expect(res.body.error.code).toBe("JSON_TOO_DEEP");
    }
    expect((await call("PUT", "/v1/records/deep/k", { key, body: nested(32) })).status).toBe(200);
    // Brackets inside strings do not count.
    const text = JSON.stringify({ s: "[[[[".repeat(20) });
    expect((await call("PUT", "/v1/records/deep/s", { key, body: text })).status).toBe(200);
  });

  it("an observation value over 16 KiB is a 413 naming it; nothing is accepted", async () => {
    const { key } = await goalTenant();
    const spec = {
      name: "big",
      every: "1h",
      observe: { x: { from: "push" }, y: { from: "push" } },
    };
    const id = (await call("POST", "/v1/goals", { key, body: spec })).body.id;
    const res = await call("POST", `/v1/goals/${id}/observations`, {
      key,
      body: { values: { x: 1, y: "z".repeat(17 * 1024) } },
    });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe("OBSERVATION_TOO_LARGE");
    expect(res.body.error.details.name).toBe("y");
    const goal = (await call("GET", `/v1/goals/${id}`, { key })).body;
    expect(goal.latest.x).toBeUndefined();
  });

  it("a spec with too many rules or sources is a 422 that says which", async () => {
    const { key } = await goalTenant();
    const observe = Object.fromEntries(
      Array.from({ length: 33 }, (_, i) => [`s${i}`, { from: "push" }]),
    );
    const many = await call("POST", "/v1/goals", { key, body: { name: "m", observe } });
    expect(many.status).toBe(422);
    expect(JSON.stringify(many.body.error)).toContain("observe");
    const rules = Array.from({ length: 65 }, (_, i) => ({ id: `r${i}`, when: "true" }));
    const ruled = await call("POST", "/v1/goals", { key, body: { name: "m", decide: { rules } } });
    expect(ruled.status).toBe(422);
    expect(JSON.stringify(ruled.body.error)).toContain("rules");
  });

  it("a spec polling more than 10 http sources is a 422 naming observe; 10 is fine", async () => {
    const { key } = await goalTenant();
    const polled = (n: number) =>
      Object.fromEntries(
        Array.from({ length: n }, (_, i) => [
          `p${i}`,
          { from: "http", url: `${env.TEST_RECEIVER}/ok/polls/${i}`, path: "n" },
        ]),
      );
    const spec = (n: number) => ({
      name: "polls",
      every: "1h",
      observe: { ...polled(n), pushed: { from: "push" } },
    });
    const over = await call("POST", "/v1/goals", { key, body: spec(11) });
    expect(over.status).toBe(422);
    expect(over.body.error.code).toBe("GOAL_INVALID");
    expect(over.body.error.details.issues).toContainEqual({
      path: "observe",
      code: "SPEC_LIMIT",
      message: "at most 10 polled http sources (got 11)",
    });
    expect((await call("POST", "/v1/goals", { key, body: spec(10) })).status).toBe(201);
  });

  it("a spec over 64 KiB is a 413; a push of more than 1000 observations a 400", async () => {
    const { key } = await goalTenant();
    const big = await call("POST", "/v1/goals", {
      key,
      body: { name: "b", params: { blob: "x".repeat(65 * 1024) } },
    });
    expect(big.status).toBe(413);
    const id = (await call("POST", "/v1/goals", { key, body: { name: "p" } })).body.id;
    const observations = Array.from({ length: 1001 }, () => ({ name: "x", value: 1 }));
    const res = await call("POST", `/v1/goals/${id}/observations`, { key, body: { observations } });
    expect(res.status).toBe(400);
  });
});
