import { describe, expect, test } from "vitest";
import { type GoalState, migrateState, STATE_VERSION } from "../../src/cycle/index.ts";

describe("the stored state's version", () => {
  test("version 1 is migrated: matched from the last verdicts, approvals get their rule and an expiry, chains start empty", () => {
    const v1 = {
      version: 1,
      status: "active",
      startedAt: 0,
      cycle: 4,
      lastCycleAt: 40,
      lastAlarmAt: 40,
      latest: {},
      history: {},
      oriented: {},
      rules: {
        a: { pendingSince: null, lastMatchedAt: 40, lastFiredAt: 30 },
        b: { pendingSince: null, lastMatchedAt: null, lastFiredAt: null },
      },
      verdicts: { a: "cooling_down", b: "false" },
      actionTimes: [30],
      expectations: [],
      acts: {},
      failed: {},
      approvals: { order: { key: "g_1:3:a:order", since: 30, cycle: 3 } },
      seenIds: [],
    } as unknown as GoalState;
    const migrated = migrateState(v1);
    expect(migrated.version).toBe(STATE_VERSION);
    expect(migrated.rules.a?.matched).toBe(true);
    expect(migrated.rules.b?.matched).toBe(false);
    expect(migrated.approvals.order).toEqual({
      key: "g_1:3:a:order",
      since: 30,
      cycle: 3,
      rule: "a",
      expiresAt: 30 + 86_400_000,
    });
    expect(migrated.chains).toEqual({});
  });

  test("the current version is returned as is; an unknown one is refused", () => {
    const current = { version: STATE_VERSION } as GoalState;
    expect(migrateState(current)).toBe(current);
    expect(() => migrateState({ version: 99 } as unknown as GoalState)).toThrow(
      /unknown goal state version 99/,
    );
  });
});
