/**
 * Which registered formulas a formula or a goal calls is read from the
 * formulas' syntax, not from their text: a call split across lines counts,
 * and a URL or a string literal that reads like `fn.x(1)` is not looked up.
 * "Not looked up" is observed by taking the formula registry's table away
 * (this file has its own D1): a lookup would fail the request.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, eventually, goalTenant } from "../helpers.ts";

async function withoutRegistry<T>(during: () => Promise<T>): Promise<T> {
  await env.DB.exec("ALTER TABLE formulas RENAME TO formulas_off");
  try {
    return await during();
  } finally {
    await env.DB.exec("ALTER TABLE formulas_off RENAME TO formulas");
  }
}

const price = { expr: "x * 10", params: ["x"] };

describe("the formulas a formula or goal calls, read from its syntax", () => {
  it("a registered formula calling fn then a newline then .other pins other", async () => {
    const { key } = await goalTenant();
    await call("PUT", "/v1/formulas/other", { key, body: { expr: "x + 1", params: ["x"] } });
    const res = await call("PUT", "/v1/formulas/caller", {
      key,
      body: { expr: "fn\n.other(x) * 2", params: ["x"] },
    });
    expect(res.status).toBe(201);
    expect(res.body.calls).toEqual({ other: 1 });
  });

  it("a goal whose orient formula is fn, a newline, .price(2) is accepted and computed", async () => {
    const { key } = await goalTenant();
    await call("PUT", "/v1/formulas/price", { key, body: price });
    const res = await call("POST", "/v1/goals", {
      key,
      body: { name: "nl", every: "1h", orient: { p: "fn\n.price(2)" } },
    });
    expect(res.status).toBe(201);
    const goal = await eventually(async () => {
      const g = (await call("GET", `/v1/goals/${res.body.id}`, { key })).body;
      return g.cycle >= 1 ? g : undefined;
    });
    expect(goal.oriented.p).toBe(20);
  });

  it("calls in a spawned goal's spec are resolved like the parent's", async () => {
    const { key } = await goalTenant();
    await call("PUT", "/v1/formulas/price", { key, body: price });
    const spec = (orient: string) => ({
      name: "parent",
      act: { child: { spawn: { spec: { name: "child", orient: { p: orient } } } } },
    });
    const ok = await call("POST", "/v1/goals", { key, body: spec("fn\n.price(2)") });
    expect(ok.status).toBe(201);
    const unknown = await call("POST", "/v1/goals", { key, body: spec("fn\n.nothing(2)") });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.details.issues[0]).toMatchObject({
      path: "act.child.spawn.spec.orient.p",
      code: "FORMULA_UNKNOWN_FUNCTION",
    });
  });

  it("a goal spec whose URL or string literal reads fn.missing( looks nothing up", async () => {
    const { key } = await goalTenant();
    const body = {
      name: "quoted",
      every: "1h",
      orient: { label: 'concat("fn.missing(", 1)' },
      act: { a: { webhook: "https://hooks.example/fn.missing(1)", body: { t: "=label" } } },
    };
    const res = await withoutRegistry(() => call("POST", "/v1/goals", { key, body }));
    expect(res.status).toBe(201);
  });

  it("an ad hoc expression with a string literal reading fn.missing( looks nothing up", async () => {
    const { key } = await goalTenant();
    const res = await withoutRegistry(() =>
      call("POST", "/v1/eval", { key, body: { expr: 'len("fn.missing(1)")' } }),
    );
    expect(res.body).toEqual({ value: 13 });
  });
});
