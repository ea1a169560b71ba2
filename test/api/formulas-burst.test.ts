/**
 * A burst of registrations of different names in one tenant all succeed.
 * On MySQL each one's quota count and upsert lock rows the others insert
 * among, so InnoDB picks deadlock victims: the store runs those again rather
 * than answering 500 (`npm run bench:stores` had 13 of 300 refused before the waits grew).
 */
import { describe, expect, it } from "vitest";
import { call, createKey, uniqueTenant } from "../helpers.ts";

describe("a burst of formula registrations", () => {
  it("32 new names at once, three times over: every one is stored", async () => {
    const tenant = uniqueTenant("burst");
    const keys = await Promise.all(
      [1, 2, 3, 4, 5, 6, 7, 8].map(() => createKey(tenant, ["formulas:read", "formulas:write"])),
    );
    for (let round = 0; round < 3; round++) {
      const answers = await Promise.all(
        Array.from({ length: 32 }, (_, i) =>
          call("PUT", `/v1/formulas/r${round}_f${i}`, {
            key: keys[i % keys.length],
            body: { expr: `x * ${i}` },
          }),
        ),
      );
      const refused = answers.filter((a) => a.status !== 201).map((a) => [a.status, a.body]);
      expect(
        answers.map((a) => a.status),
        JSON.stringify(refused),
      ).toEqual(answers.map(() => 201));
    }
    const list = await call("GET", "/v1/formulas?limit=100", { key: keys[0] });
    expect(list.body.formulas).toHaveLength(96);
    // 96 registrations with InnoDB's deadlock victims run again: seconds on a loaded machine.
  }, 30_000);
});
