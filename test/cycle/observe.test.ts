import { describe, expect, test } from "vitest";
import type { Observation } from "../../src/cycle/index.ts";
import { drive, goalOf, MIN } from "./helpers.ts";

const goal = goalOf({
  keep: 3,
  observe: { p: { from: "push" } },
  orient: { h: "history.p", last: "p" },
});

const at = (value: unknown, time: number, extra: Partial<Observation> = {}): Observation => ({
  name: "p",
  value,
  at: time,
  source: "push",
  ...extra,
});

describe("observe", () => {
  test("history keeps only the last `keep` values", () => {
    const loop = drive(goal);
    for (let i = 1; i <= 5; i++) loop.run(i * MIN, { p: i });
    expect(loop.state.history.p?.map((e) => e.value)).toEqual([3, 4, 5]);
    expect(loop.run(6 * MIN).receipt.oriented.h).toEqual([3, 4, 5]);
  });

  test("several observations of one name in a cycle are all applied, in time order", () => {
    const result = drive(goal).run(MIN, {}, { observations: [at(2, 20), at(1, 10), at(3, 30)] });
    expect(result.receipt.oriented).toEqual({ h: [1, 2, 3], last: 3 });
    expect(result.receipt.observed.p?.map((o) => o.value)).toEqual([1, 2, 3]);
  });

  test("a late observation takes its place in history but does not replace the latest value", () => {
    const loop = drive(goal);
    loop.run(MIN, { p: 5 });
    const late = loop.run(2 * MIN, {}, { observations: [at(4, 30_000)] });
    expect(late.receipt.oriented).toEqual({ h: [4, 5], last: 5 });
  });

  test("an observation id seen before is applied once", () => {
    const loop = drive(goal);
    loop.run(MIN, {}, { observations: [at(1, MIN, { id: "o-1" })] });
    const again = loop.run(
      2 * MIN,
      {},
      { observations: [at(1, MIN, { id: "o-1" }), at(2, 2 * MIN, { id: "o-2" })] },
    );
    expect(again.receipt.oriented.h).toEqual([1, 2]);
    expect(again.receipt.ignored).toEqual([
      { name: "p", reason: "observation o-1 was already applied" },
    ]);
  });

  test("observations of names the goal does not observe are ignored and listed", () => {
    const result = drive(goal).run(MIN, { q: 1 });
    expect(result.receipt.ignored).toEqual([{ name: "q", reason: "not observed by this goal" }]);
    expect(result.state.latest).toEqual({});
  });

  test("a signal from another goal lands on the name it targets", () => {
    const result = drive(goal).run(MIN, {}, { observations: [at(7, MIN, { source: "signal" })] });
    expect(result.receipt.observed.p).toEqual([{ value: 7, at: MIN, source: "signal" }]);
  });

  test("values are kept JSON-safe: NaN and undefined become null, objects are copied", () => {
    const value = { a: Number.NaN, b: undefined, c: [Number.POSITIVE_INFINITY, -0], d: "ok" };
    const result = drive(goal).run(MIN, { p: value });
    expect(result.state.latest.p?.value).toEqual({ a: null, b: null, c: [null, 0], d: "ok" });
    expect(JSON.parse(JSON.stringify(result.state))).toEqual(result.state);
  });

  test("an observation without a valid time is taken as observed now", () => {
    const result = drive(goal).run(MIN, {}, { observations: [at(1, Number.NaN)] });
    expect(result.state.latest.p?.at).toBe(MIN);
  });
});
