import { describe, expect, it } from "vitest";
import { specReferences } from "../../src/spec/index.ts";

const hook = "https://hooks.example/x";

describe("specReferences: the registered formulas a goal spec refers to", () => {
  it("reads fn.NAME calls in orient, when, score, expect and done, however spaced", () => {
    const spec = {
      name: "g",
      orient: { p: "fn\n.price(2)", q: "fn . qty(1)" },
      decide: {
        policy: "best",
        rules: [{ id: "r", when: "fn.ok(p)", score: "fn.rank(p)", do: "a" }],
      },
      act: { a: { webhook: hook, expect: "fn.landed(p)", within: "1m" } },
      done: "fn.finished(q)",
    };
    expect(specReferences(spec)).toEqual(["finished", "landed", "ok", "price", "qty", "rank"]);
  });

  it('reads the "=" strings of every template field, not "==" escapes, object keys or text', () => {
    const spec = {
      name: "g",
      act: {
        w: { webhook: hook, body: { a: "=fn.body(1)", b: ["x", "=fn.item(2)"], c: "==fn.esc(3)" } },
        f: { formula: { name: "tax", args: { x: "=fn.arg(1)" } } },
        r: { record: { collection: "c", key: "=fn.key(1)", value: { "=fn.k(1)": "=fn.val(1)" } } },
        s: { signal: { goal: "other", name: "n", value: "=fn.sig(1)" } },
        t: { record: { collection: "c", key: "fn.textkey(1)", value: "fn.text(1)" } },
      },
    };
    expect(specReferences(spec)).toEqual(["arg", "body", "item", "key", "sig", "tax", "val"]);
  });

  it("a URL or a string literal that reads like a call is not a reference", () => {
    const spec = {
      name: "g",
      orient: { label: 'concat("fn.secret(1)", "!")' },
      act: { a: { webhook: "https://hooks.example/fn.missing(1)", body: { t: "=label" } } },
    };
    expect(specReferences(spec)).toEqual([]);
  });

  it("reads the specs spawn actions carry, as deep as validation follows them", () => {
    const level = (depth: number): Record<string, unknown> => ({
      name: `g${depth}`,
      orient: { v: `fn\n.at${depth}(1)` },
      act: depth < 5 ? { child: { spawn: { spec: level(depth + 1) } } } : {},
    });
    expect(specReferences(level(0))).toEqual(["at0", "at1", "at2", "at3"]);
  });

  it("a spec the schema refuses is never compiled, so it refers to nothing", () => {
    expect(specReferences({ name: "g", orient: { v: "fn.a(1)" }, bogus: true })).toEqual([]);
    expect(specReferences("fn.a(1)")).toEqual([]);
  });
});
