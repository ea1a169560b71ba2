import { describe, expect, test } from "vitest";
import { drive, goalOf, MIN, SEC } from "./helpers.ts";

const goal = goalOf({ every: "1m" });

describe("missed cycles", () => {
  test("the first alarm cycle never counts missed periods", () => {
    expect(drive(goal).run(100 * MIN).receipt.missed).toBe(0);
  });

  test("an alarm on time, or a little late, misses nothing", () => {
    const loop = drive(goal);
    loop.run(0);
    expect(loop.run(MIN).receipt.missed).toBe(0);
    expect(loop.run(2 * MIN + 30 * SEC).receipt.missed).toBe(0);
  });

  test("an alarm more than 1.5 periods late counts the whole periods skipped, once", () => {
    const loop = drive(goal);
    loop.run(0);
    const late = loop.run(10 * MIN);
    expect(late.receipt.missed).toBe(9);
    expect(late.receipt.cycle).toBe(2);
    expect(loop.run(11 * MIN).receipt.missed).toBe(0);
  });

  test("just past 1.5 periods counts one", () => {
    const loop = drive(goal);
    loop.run(0);
    expect(loop.run(90 * SEC + 1).receipt.missed).toBe(1);
  });

  test("cycles triggered by pushes neither count missed periods nor reset the alarm cadence", () => {
    const loop = drive(goal);
    loop.run(0);
    expect(loop.run(5 * MIN, {}, { trigger: "push" }).receipt.missed).toBe(0);
    expect(loop.run(6 * MIN).receipt.missed).toBe(5);
  });

  test("a pause is not downtime: the first alarm after a resume counts only what it missed since", () => {
    const loop = drive(goal);
    loop.run(0);
    // Paused at 1m, resumed at 30m: the alarm right after misses nothing.
    expect(loop.run(30 * MIN + 5, {}, { resumedAt: 30 * MIN }).receipt.missed).toBe(0);
    // A resume and then downtime: the periods after the resume count.
    const late = drive(goal);
    late.run(0);
    expect(late.run(40 * MIN, {}, { resumedAt: 30 * MIN }).receipt.missed).toBe(9);
  });
});
