import { describe, expect, test } from "vitest";
import { RESERVED_NAMES } from "../../src/spec/index.ts";
import { issuesOf } from "../cycle/helpers.ts";

const rule = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  when: "true",
  do: "a",
  ...extra,
});
const hook = { webhook: "https://hooks.example/x" };

describe("names in a spec", () => {
  test("a name that is not an identifier is INVALID_NAME at its path", () => {
    const issues = issuesOf({ params: { "bad-name": 1 }, observe: { "2x": { from: "push" } } });
    expect(issues.map((i) => [i.path, i.code])).toEqual([
      ["params.bad-name", "INVALID_NAME"],
      ["observe.2x", "INVALID_NAME"],
    ]);
  });

  test("each reserved name is rejected in params, observe and orient", () => {
    for (const name of RESERVED_NAMES) {
      const issues = issuesOf({ orient: { [name]: "1" } });
      expect(
        issues.map((i) => [i.path, i.code]),
        name,
      ).toContainEqual([`orient.${name}`, "RESERVED_NAME"]);
    }
    expect(issuesOf({ params: { history: 1 } })[0]).toMatchObject({
      path: "params.history",
      code: "RESERVED_NAME",
    });
    expect(issuesOf({ observe: { __proto_x: { from: "push" } } })[0]?.code).toBe("RESERVED_NAME");
  });

  test("a reserved name is reported once and does not make the other formulas fail", () => {
    const issues = issuesOf({ orient: { e: "1", x: "2", y: "x + 1" } });
    expect(issues.map((i) => [i.path, i.code])).toEqual([["orient.e", "RESERVED_NAME"]]);
  });

  test("a name used twice across params, observe and orient is DUPLICATE_NAME at the second", () => {
    const issues = issuesOf({
      params: { price: 1 },
      observe: { price: { from: "push" } },
      orient: { price: "1" },
    });
    expect(issues.filter((i) => i.code === "DUPLICATE_NAME").map((i) => i.path)).toEqual([
      "observe.price",
      "orient.price",
    ]);
  });

  test("an action may share a name with an observed value: act.NAME is its own namespace", () => {
    const issues = issuesOf({
      observe: { order: { from: "push" } },
      act: { order: hook },
      done: "nope(",
    });
    expect(issues.map((i) => i.path)).toEqual(["done"]);
  });
});

describe("limits", () => {
  const many = (n: number, make: (i: number) => [string, unknown]) =>
    Object.fromEntries(Array.from({ length: n }, (_, i) => make(i)));

  test("more than 32 sources, 64 orient formulas, 64 rules or 32 actions is SPEC_LIMIT", () => {
    const issues = issuesOf({
      observe: many(33, (i) => [`s${i}`, { from: "push" }]),
      orient: many(65, (i) => [`o${i}`, "1"]),
      decide: { rules: Array.from({ length: 65 }, (_, i) => rule(`r${i}`)) },
      act: many(33, (i) => (i === 0 ? ["a", hook] : [`a${i}`, hook])),
    });
    expect(issues.filter((i) => i.code === "SPEC_LIMIT").map((i) => [i.path, i.message])).toEqual([
      ["observe", "at most 32 sources (got 33)"],
      ["orient", "at most 64 orient formulas (got 65)"],
      ["decide.rules", "at most 64 rules (got 65)"],
      ["act", "at most 32 actions (got 33)"],
    ]);
  });
});

describe("rules and actions refer to each other", () => {
  test("a rule id used twice is DUPLICATE_RULE", () => {
    const issues = issuesOf({ decide: { rules: [rule("r"), rule("r")] }, act: { a: hook } });
    expect(issues).toEqual([
      expect.objectContaining({ path: "decide.rules.1.id", code: "DUPLICATE_RULE" }),
    ]);
  });

  test("a rule id may not contain a colon (it would make idempotency keys ambiguous)", () => {
    const issues = issuesOf({ decide: { rules: [rule("a:b")] }, act: { a: hook } });
    expect(issues[0]).toMatchObject({ path: "decide.rules.0.id", code: "INVALID_NAME" });
  });

  test("do naming an unknown action is UNKNOWN_ACTION at do or its index", () => {
    const issues = issuesOf({
      decide: { rules: [rule("one", { do: "nope" }), rule("two", { do: ["a", "nah"] })] },
      act: { a: hook },
    });
    expect(issues.map((i) => [i.path, i.code])).toEqual([
      ["decide.rules.0.do", "UNKNOWN_ACTION"],
      ["decide.rules.1.do.1", "UNKNOWN_ACTION"],
    ]);
  });

  test("do listing an action twice is DUPLICATE_ACTION", () => {
    const issues = issuesOf({
      decide: { rules: [rule("r", { do: ["a", "a"] })] },
      act: { a: hook },
    });
    expect(issues).toEqual([
      expect.objectContaining({ path: "decide.rules.0.do.1", code: "DUPLICATE_ACTION" }),
    ]);
  });

  test("policy best needs a score on every rule", () => {
    const issues = issuesOf({ decide: { policy: "best", rules: [rule("r")] }, act: { a: hook } });
    expect(issues).toEqual([
      expect.objectContaining({ path: "decide.rules.0.score", code: "SCORE_REQUIRED" }),
    ]);
  });

  test("expect and within come together", () => {
    const issues = issuesOf({
      act: { a: { ...hook, expect: "true" }, b: { ...hook, within: "5m" } },
    });
    expect(issues.map((i) => [i.path, i.code])).toEqual([
      ["act.a.within", "EXPECT_WITHIN"],
      ["act.b.expect", "EXPECT_WITHIN"],
    ]);
  });
});

describe("guards", () => {
  test("approve naming an unknown action is UNKNOWN_ACTION", () => {
    const issues = issuesOf({ act: { a: hook }, guard: { approve: ["a", "b"] } });
    expect(issues).toEqual([
      expect.objectContaining({ path: "guard.approve.1", code: "UNKNOWN_ACTION" }),
    ]);
  });

  test("a webhook host not in allow_hosts is HOST_NOT_ALLOWED", () => {
    const issues = issuesOf({
      act: {
        a: { webhook: "https://evil.example/x" },
        b: { webhook: "https://api.good.example/" },
      },
      guard: { allow_hosts: ["hooks.example", "*.good.example"] },
    });
    expect(issues).toEqual([
      expect.objectContaining({ path: "act.a.webhook", code: "HOST_NOT_ALLOWED" }),
    ]);
  });

  test("allow_hosts does not restrict polled http sources", () => {
    const issues = issuesOf({
      observe: { p: { from: "http", url: "https://anywhere.example/" } },
      guard: { allow_hosts: ["hooks.example"] },
      done: "(",
    });
    expect(issues.map((i) => i.path)).toEqual(["done"]);
  });

  test("an allow_hosts entry must be a host name or *.domain", () => {
    const issues = issuesOf({ guard: { allow_hosts: ["https://x.example", "*.ok.example"] } });
    expect(issues).toEqual([
      expect.objectContaining({ path: "guard.allow_hosts.0", code: "INVALID_HOST" }),
    ]);
  });
});
