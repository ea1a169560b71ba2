/**
 * A goal stored by the previous version (state version 1, a replay log of
 * last values only) keeps running after a deploy: its state is migrated when
 * loaded, and its replay record restarts from that state.
 */
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { cycles, newGoal, push } from "../faults/helpers.ts";
import { call, eventually } from "../helpers.ts";

it("a version 1 state is migrated on load, and replay restarts from it", async () => {
  const { key, id, stub } = await newGoal({
    name: "old",
    every: "1h",
    observe: { x: { from: "push" } },
    decide: { rules: [{ id: "r", when: "x > 5", do: "hook" }] },
    act: { hook: { webhook: `${env.TEST_RECEIVER}/ok/${crypto.randomUUID()}` } },
  });
  await push(key, id, "x", 1);
  await eventually(async () => ((await cycles(key, id)).length >= 2 ? true : undefined));
  // Rewrite storage as version 1 left it.
  await runInDurableObject(stub, async (_i, state: DurableObjectState) => {
    const current = (await state.storage.get<Record<string, unknown>>("state")) ?? {};
    const { chains: _c, ...rest } = current as { chains?: unknown };
    const rules = Object.fromEntries(
      Object.entries((current.rules ?? {}) as Record<string, Record<string, unknown>>).map(
        ([id, hold]) => [
          id,
          {
            pendingSince: hold.pendingSince,
            lastMatchedAt: hold.lastMatchedAt,
            lastFiredAt: hold.lastFiredAt,
          },
        ],
      ),
    );
    await state.storage.put({
      state: { ...rest, version: 1, rules },
      "log:000000000002": { at: 1, trigger: "push", values: { x: 1 } },
    });
    const old = await state.storage.list({ prefix: "snapshot:" });
    await state.storage.delete([...old.keys()]);
  });
  await evictDurableObject(stub);
  await push(key, id, "x", 9);
  const acted = await eventually(async () =>
    (await cycles(key, id)).find((r) => (r.actions ?? []).length > 0),
  );
  expect(acted.actions?.[0]?.key).toBe(`${id}:3:r:hook`);
  const stored = await runInDurableObject(stub, async (_i, state: DurableObjectState) => ({
    version: (await state.storage.get<{ version: number }>("state"))?.version,
    snapshots: [...(await state.storage.list({ prefix: "snapshot:" })).keys()],
    logs: [...(await state.storage.list({ prefix: "log:" })).keys()],
  }));
  expect(stored.version).toBe(2);
  expect(stored.snapshots).toEqual(["snapshot:000000000002"]);
  expect(stored.logs[0]).toBe("log:000000000003");
  const replayed = await call("POST", `/v1/goals/${id}/replay`, { key, body: {} });
  expect(replayed.body.from_cycle).toBe(3);
  expect(replayed.body.compared.differing).toEqual([]);
});
