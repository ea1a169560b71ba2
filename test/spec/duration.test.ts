import { describe, expect, test } from "vitest";
import { formatDuration, MAX_DURATION_MS, parseDuration } from "../../src/spec/index.ts";

describe("parseDuration", () => {
  test("reads each unit of the spec into milliseconds", () => {
    expect(parseDuration("500ms")).toBe(500);
    expect(parseDuration("30s")).toBe(30_000);
    expect(parseDuration("5m")).toBe(300_000);
    expect(parseDuration("2h")).toBe(7_200_000);
    expect(parseDuration("1d")).toBe(86_400_000);
  });

  test("accepts decimals and rounds to a whole millisecond", () => {
    expect(parseDuration("1.5h")).toBe(5_400_000);
    expect(parseDuration("0.0005s")).toBe(1);
  });

  test("rejects what is not one number and one unit", () => {
    for (const text of ["", "5", "m", "5 min", "1h30m", "-5m", "5M", "1e3s", "Infinityd"]) {
      expect(parseDuration(text), text).toBeUndefined();
    }
  });

  test("rejects durations longer than a year", () => {
    expect(parseDuration("365d")).toBe(MAX_DURATION_MS);
    expect(parseDuration("366d")).toBeUndefined();
  });
});

describe("formatDuration", () => {
  test("shows the two largest units", () => {
    expect(formatDuration(90_000)).toBe("1m30s");
    expect(formatDuration(250)).toBe("250ms");
    expect(formatDuration(2 * 86_400_000 + 3 * 3_600_000 + 5000)).toBe("2d3h");
    expect(formatDuration(3_600_000)).toBe("1h");
  });

  test("reads negative time as zero", () => {
    expect(formatDuration(-5)).toBe("0ms");
  });
});
