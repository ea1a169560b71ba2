/**
 * One event observed by several names (two paths of one record and its
 * collection; two stream sources on one topic) carries one id, and every
 * name applies it; a redelivery of it is applied by none.
 */
import { expect, test } from "vitest";
import type { Observation } from "../../src/cycle/index.ts";
import { drive, goalOf } from "./helpers.ts";

test("each source name observes its own value from one record change, once", () => {
  const goal = goalOf({
    observe: {
      qty: { from: "record", collection: "inv", key: "w", path: "qty" },
      cost: { from: "record", collection: "inv", key: "w", path: "cost" },
      whole: { from: "record", collection: "inv" },
      a: { from: "stream", topic: "t", path: "a" },
      b: { from: "stream", topic: "t", path: "b" },
    },
  });
  const id = "record:inv/w@3";
  const event: Observation[] = [
    { name: "qty", value: 4, at: 10, source: "record", id },
    { name: "cost", value: 2.5, at: 10, source: "record", id },
    { name: "whole", value: { qty: 4, cost: 2.5 }, at: 10, source: "record", id },
    { name: "a", value: 1, at: 10, source: "stream", id: "stream:e1" },
    { name: "b", value: 2, at: 10, source: "stream", id: "stream:e1" },
  ];
  const loop = drive(goal);
  const first = loop.run(10, {}, { trigger: "record", observations: event });
  expect(Object.keys(first.receipt.observed).sort()).toEqual(["a", "b", "cost", "qty", "whole"]);
  expect(first.receipt.ignored).toEqual([]);
  expect(loop.state.latest.cost?.value).toBe(2.5);
  expect(loop.state.latest.b?.value).toBe(2);
  const again = loop.run(20, {}, { trigger: "record", observations: event });
  expect(again.receipt.observed).toEqual({});
  expect(again.receipt.ignored).toHaveLength(5);
});
