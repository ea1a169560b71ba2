import { describe, expect, test } from "vitest";
import { validateGoalSpec } from "../../src/spec/index.ts";
import { goalOf, issuesOf } from "../cycle/helpers.ts";
import { PRODUCT_EXAMPLE } from "../cycle/product-example.ts";

describe("the goal spec schema", () => {
  test("accepts the product page's example goal", () => {
    const result = validateGoalSpec(PRODUCT_EXAMPLE);
    expect(result.ok).toBe(true);
  });

  test("fills in the defaults: every 1m, keep 100, policy first, http timeout 5s", () => {
    const goal = goalOf({ observe: { p: { from: "http", url: "https://a.example/" } } });
    expect(goal.everyMs).toBe(60_000);
    expect(goal.keep).toBe(100);
    expect(goal.policy).toBe("first");
    expect(goal.spec.observe.p).toMatchObject({ method: "GET", timeout: "5s" });
    expect(goal.guard).toEqual({
      maxActionsPerHour: 100,
      maxActionsPerChain: 20,
      approveWithinMs: 24 * 3_600_000,
      allowHosts: null,
      dryRun: false,
    });
  });

  test("a spec that is not an object is one issue at the root", () => {
    const result = validateGoalSpec("nope");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]).toMatchObject({ path: "", code: "SPEC_TYPE" });
  });

  test("a stored spec whose name is only white space still compiles: that is refused at registration only", () => {
    // Goals registered before the check keep waking up (compileStoredSpec validates with this).
    expect(validateGoalSpec({ name: " " }).ok).toBe(true);
  });

  test("an unknown key is reported at the key's own path", () => {
    const issues = issuesOf({ observe: { p: { from: "push", max_agee: "5m" } } });
    expect(issues).toContainEqual(
      expect.objectContaining({ path: "observe.p.max_agee", code: "SPEC_UNKNOWN_KEY" }),
    );
  });

  test("a malformed duration names its path", () => {
    const issues = issuesOf({ every: "5 minutes" });
    expect(issues).toEqual([expect.objectContaining({ path: "every", code: "INVALID_DURATION" })]);
  });

  test("every must be at least one second", () => {
    expect(issuesOf({ every: "500ms" })).toEqual([
      expect.objectContaining({ path: "every", code: "DURATION_RANGE" }),
    ]);
  });

  test("an http source's timeout is at most 30s", () => {
    const issues = issuesOf({
      observe: { p: { from: "http", url: "https://a.example/", timeout: "31s" } },
    });
    expect(issues).toEqual([
      expect.objectContaining({ path: "observe.p.timeout", code: "DURATION_RANGE" }),
    ]);
  });

  test("URLs must be http or https", () => {
    const issues = issuesOf({
      observe: { p: { from: "http", url: "ftp://a.example/" } },
      act: { hook: { webhook: "javascript:alert(1)" } },
    });
    expect(issues.map((i) => [i.path, i.code])).toEqual([
      ["observe.p.url", "INVALID_URL"],
      ["act.hook.webhook", "INVALID_URL"],
    ]);
  });

  test("an unknown source kind is rejected at its from", () => {
    const issues = issuesOf({ observe: { p: { from: "ftp" } } });
    expect(issues[0]?.path).toMatch(/^observe\.p/);
  });

  test("keep is between 1 and 1000", () => {
    expect(issuesOf({ keep: 1001 })).toEqual([
      expect.objectContaining({ path: "keep", code: "SPEC_RANGE" }),
    ]);
    expect(issuesOf({ keep: 0 })).toEqual([
      expect.objectContaining({ path: "keep", code: "SPEC_RANGE" }),
    ]);
  });

  test("params must be JSON values", () => {
    expect(issuesOf({ params: { x: Number.NaN } })[0]?.path).toBe("params.x");
  });
});

describe("actions", () => {
  test("an action needs exactly one kind", () => {
    const none = issuesOf({ act: { a: { body: {} } } });
    expect(none).toEqual([expect.objectContaining({ path: "act.a", code: "ACTION_KIND" })]);
    const two = issuesOf({
      act: {
        a: { webhook: "https://x.example/", record: { collection: "c", key: "k", value: 1 } },
      },
    });
    expect(two[0]?.message).toContain("not webhook and record");
  });

  test("the chosen kind's own issues keep their paths", () => {
    const issues = issuesOf({ act: { save: { record: { collection: "c", value: 1, extra: 2 } } } });
    expect(issues.map((i) => [i.path, i.code])).toEqual(
      expect.arrayContaining([
        ["act.save.record.key", "SPEC_TYPE"],
        ["act.save.record.extra", "SPEC_UNKNOWN_KEY"],
      ]),
    );
  });

  test("every kind of action parses", () => {
    const goal = goalOf({
      act: {
        hook: {
          webhook: "https://x.example/",
          body: { a: 1 },
          headers: { "x-k": "v" },
          timeout: "2s",
        },
        calc: { formula: { name: "tax", version: 2, args: { x: 1 } } },
        save: { record: { collection: "c", key: "k", value: { a: 1 } } },
        ping: { signal: { goal: "other", name: "level", value: 3 } },
        child: { spawn: { spec: { name: "child" } } },
      },
    });
    expect([...goal.actions.values()].map((a) => a.kind)).toEqual([
      "webhook",
      "formula",
      "record",
      "signal",
      "spawn",
    ]);
  });
});
