import { describe, expect, test } from "vitest";
import { drive, goalOf, payloadOf, verdict } from "./helpers.ts";

function fire(
  act: Record<string, unknown>,
  values: Record<string, unknown> = { qty: 7, price: 2.5 },
) {
  const goal = goalOf({
    params: { sku: "widget" },
    observe: { qty: { from: "push" }, price: { from: "push" } },
    decide: { rules: [{ id: "r", when: "true", do: Object.keys(act) }] },
    act,
  });
  return drive(goal).run(0, values);
}

describe("templates", () => {
  test('strings starting with "=" are formulas; everything else is literal', () => {
    const result = fire({
      order: {
        webhook: "https://erp.example/orders",
        headers: { "x-token": "=not a formula in headers" },
        body: {
          sku: "=sku",
          qty: "=qty",
          total: "=qty * price",
          note: "plain",
          n: 3,
          tags: ["a", "=concat('p', price)"],
        },
      },
    });
    expect(result.actions[0]?.payload).toEqual({
      url: "https://erp.example/orders",
      method: "POST",
      headers: { "x-token": "=not a formula in headers" },
      body: { sku: "widget", qty: 7, total: 17.5, note: "plain", n: 3, tags: ["a", "p2.5"] },
      timeout_ms: 5000,
    });
  });

  test("a webhook carries the goal's allow_hosts, so redirects are held to them at send time", () => {
    const goal = goalOf({
      observe: { x: { from: "push" } },
      decide: { rules: [{ id: "r", when: "true", do: "hook" }] },
      act: { hook: { webhook: "https://erp.example/orders" } },
      guard: { allow_hosts: ["ERP.example", "*.hooks.example"] },
    });
    const result = drive(goal).run(0, { x: 1 });
    expect(payloadOf(result.actions[0]).allow_hosts).toEqual(["erp.example", "*.hooks.example"]);
  });

  test('"==" escapes a literal leading "="', () => {
    const result = fire({
      note: { webhook: "https://h.example/", body: { eq: "==qty", two: "===" } },
    });
    expect(payloadOf(result.actions[0]).body).toEqual({ eq: "=qty", two: "==" });
  });

  test("formula, record and signal payloads render their templates", () => {
    const result = fire({
      calc: { formula: { name: "tax", version: 3, args: { x: "=qty" } } },
      save: {
        record: { collection: "orders", key: "=concat('o-', cycle)", value: { qty: "=qty" } },
      },
      ping: { signal: { goal: "other", name: "level", value: "=price" } },
    });
    expect(result.actions.map((a) => [a.kind, a.payload])).toEqual([
      ["formula", { name: "tax", version: 3, args: { x: 7 } }],
      ["record", { collection: "orders", key: "o-1", value: { qty: 7 } }],
      ["signal", { goal: "other", name: "level", value: 2.5 }],
    ]);
  });

  test("a spawn payload carries the child's spec with its defaults applied", () => {
    const result = fire({ child: { spawn: { spec: { name: "child", every: "5m" } } } });
    expect(payloadOf(result.actions[0]).spec).toMatchObject({
      name: "child",
      every: "5m",
      keep: 100,
    });
  });

  test("a template that fails to render makes the rule an error and plans none of its actions", () => {
    const result = fire({
      ok: { webhook: "https://h.example/ok" },
      bad: { webhook: "https://h.example/bad", body: { v: "=qty / (price - price)" } },
    });
    expect(result.actions).toEqual([]);
    expect(verdict(result, "r")).toMatchObject({
      status: "error",
      code: "FORMULA_NON_FINITE",
      reason: expect.stringContaining("act.bad.body.v"),
    });
  });

  test("a template reading missing data makes the rule insufficient_data", () => {
    const result = fire(
      { a: { webhook: "https://h.example/", body: { p: "=price" } } },
      { qty: 1 },
    );
    expect(verdict(result, "r")).toMatchObject({ status: "insufficient_data" });
    expect(verdict(result, "r").reason).toContain("price has no observation yet");
  });

  test("a record key must render to a non-empty string", () => {
    const result = fire({ save: { record: { collection: "c", key: "=qty", value: 1 } } });
    expect(verdict(result, "r")).toMatchObject({ status: "error", code: "RECORD_KEY_TYPE" });
  });

  test("a planned action carries its expect and within", () => {
    const result = fire({
      a: { webhook: "https://h.example/", expect: "qty > 100", within: "10m" },
    });
    expect(result.actions[0]).toMatchObject({ expect: "qty > 100", within_ms: 600_000 });
  });
});
