import { describe, expect, test } from "vitest";
import { compile } from "../../src/formula/index.ts";
import { goalOf, issuesOf } from "../cycle/helpers.ts";

const hook = { webhook: "https://hooks.example/x" };

describe("every formula in a spec is compiled at registration", () => {
  test("a bad orient formula is reported at orient.NAME with the formula's code and position", () => {
    const issues = issuesOf({
      observe: { price: { from: "push" } },
      orient: { avg_price: "mean(history.price" },
    });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ path: "orient.avg_price", code: "FORMULA_SYNTAX" });
    expect(issues[0]?.position).toMatchObject({ line: 1 });
  });

  test("an unknown name carries the formula's did-you-mean hint", () => {
    const issues = issuesOf({ observe: { stock: { from: "push" } }, orient: { low: "stok < 5" } });
    expect(issues[0]).toMatchObject({
      path: "orient.low",
      code: "FORMULA_UNKNOWN_NAME",
      position: { offset: 0, line: 1, column: 1 },
    });
    expect(issues[0]?.hint).toContain("stock");
  });

  test("when, score, expect and done are each checked at their own path", () => {
    const issues = issuesOf({
      decide: { policy: "best", rules: [{ id: "r", when: "1 +", score: "nope", do: "a" }] },
      act: { a: { ...hook, expect: "avg(1)", within: "1m" } },
      done: ")",
    });
    expect(issues.map((i) => [i.path, i.code])).toEqual([
      ["decide.rules.0.when", "FORMULA_SYNTAX"],
      ["decide.rules.0.score", "FORMULA_UNKNOWN_NAME"],
      ["act.a.expect", "FORMULA_UNKNOWN_FUNCTION"],
      ["done", "FORMULA_SYNTAX"],
    ]);
  });

  test('every "=" string of a template is compiled, at its JSON path', () => {
    const issues = issuesOf({
      act: {
        order: {
          webhook: "https://erp.example/",
          body: { sku: "w", qty: "=qty +", lines: ["ok", "=nope"] },
        },
        save: { record: { collection: "c", key: "=concat(", value: 1 } },
      },
    });
    expect(issues.map((i) => [i.path, i.code])).toEqual([
      ["act.order.body.qty", "FORMULA_SYNTAX"],
      ["act.order.body.lines.1", "FORMULA_UNKNOWN_NAME"],
      ["act.save.record.key", "FORMULA_SYNTAX"],
    ]);
  });

  test('a "==" string is a literal, never compiled', () => {
    const goal = goalOf({ act: { a: { ...hook, body: { eq: "==(not a formula" } } } });
    expect(goal.actions.get("a")?.reads).toEqual({ observed: [], oriented: [] });
  });

  test("history, prev, act and failed must name something the goal has", () => {
    const issues = issuesOf({
      observe: { price: { from: "push" } },
      orient: {
        a: "len(history.cost)",
        b: "coalesce(prev.zzz, 0)",
        c: "act.ship.status == 'ok'",
        d: "failed.ship",
        f: "act.order.colour",
      },
      act: { order: hook },
    });
    expect(issues.map((i) => [i.path, i.code])).toEqual([
      ["orient.a", "UNKNOWN_REFERENCE"],
      ["orient.b", "UNKNOWN_REFERENCE"],
      ["orient.c", "UNKNOWN_REFERENCE"],
      ["orient.d", "UNKNOWN_REFERENCE"],
      ["orient.f", "UNKNOWN_REFERENCE"],
    ]);
  });

  test("fn.NAME calls resolve through the resolver passed in", () => {
    const tax = compile("x * 0.2", { params: ["x"] });
    const resolver = (name: string) =>
      name === "tax" ? { params: [{ name: "x" }], formula: tax } : undefined;
    const spec = { params: { p: 10 }, orient: { t: "fn.tax(p)" } };
    expect(goalOf(spec, { formulas: resolver }).orient[0]?.name).toBe("t");
    expect(issuesOf(spec)[0]).toMatchObject({ path: "orient.t", code: "FORMULA_UNKNOWN_FUNCTION" });
  });

  test("a formula action must name a registered formula when a resolver is given", () => {
    const resolver = () => undefined;
    const issues = issuesOf(
      { act: { calc: { formula: { name: "tax" } } } },
      { formulas: resolver },
    );
    expect(issues).toEqual([
      expect.objectContaining({ path: "act.calc.formula.name", code: "UNKNOWN_FORMULA" }),
    ]);
  });

  test("one response lists schema-level checks and formula errors together", () => {
    const issues = issuesOf({ params: { now: 1 }, orient: { x: "1 +" } });
    expect(issues.map((i) => i.code)).toEqual(["RESERVED_NAME", "FORMULA_SYNTAX"]);
  });
});

describe("orient formulas", () => {
  test("run in dependency order, declaration order among independent ones", () => {
    const goal = goalOf({
      params: { base: 1 },
      orient: { total: "sub + tax", tax: "sub * 0.2", sub: "base * 10", label: "'x'" },
    });
    expect(goal.orient.map((o) => o.name)).toEqual(["sub", "tax", "total", "label"]);
  });

  test("a cycle among them is ORIENT_CYCLE naming the cycle", () => {
    const issues = issuesOf({ orient: { a: "b + 1", b: "c + 1", c: "a + 1", d: "1" } });
    expect(issues).toEqual([
      expect.objectContaining({
        path: "orient.a",
        code: "ORIENT_CYCLE",
        message: expect.stringContaining("a → b → c → a"),
      }),
    ]);
  });

  test("a formula reading itself is a cycle; reading its previous value is not", () => {
    expect(issuesOf({ orient: { n: "n + 1" } })[0]?.message).toContain("n → n");
    expect(goalOf({ orient: { n: "coalesce(prev.n, 0) + 1" } }).orient).toHaveLength(1);
  });
});

describe("spawn", () => {
  test("a spawned spec is validated as a goal, its issues under act.NAME.spawn.spec", () => {
    const issues = issuesOf({
      act: { child: { spawn: { spec: { name: "c", orient: { x: "1 +" } } } } },
    });
    expect(issues).toEqual([
      expect.objectContaining({ path: "act.child.spawn.spec.orient.x", code: "FORMULA_SYNTAX" }),
    ]);
  });

  test("spawned specs nest at most three deep", () => {
    let spec: Record<string, unknown> = { name: "leaf" };
    for (let i = 0; i < 4; i++) spec = { name: `level${i}`, act: { child: { spawn: { spec } } } };
    const issues = issuesOf(spec);
    expect(issues[0]?.code).toBe("SPAWN_DEPTH");
    expect(issues[0]?.path).toBe(
      "act.child.spawn.spec.act.child.spawn.spec.act.child.spawn.spec.act.child.spawn.spec",
    );
  });
});
