/**
 * The D1 copies of acting cycles: many at once go out in one batch of
 * multi-row inserts, split where D1's statement limits require, and a resend
 * changes nothing.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { database } from "../../src/db/client.ts";
import { type CycleRow, insertCycles, insertGroups } from "../../src/db/goals.ts";
import { storeRows } from "../store-sql.ts";

const goalId = () => `g_${crypto.randomUUID().replaceAll("-", "").slice(0, 20)}`;

function rows(id: string, count: number, padding = 0): CycleRow[] {
  return Array.from({ length: count }, (_, i) => ({
    tenant: "copies",
    goalId: id,
    cycle: i + 1,
    at: 1_000 + i,
    receipt: { cycle: i + 1, note: "x".repeat(padding) },
  }));
}

async function stored(id: string) {
  return storeRows<{ cycle: number }>("SELECT cycle FROM cycles WHERE goal_id = ? ORDER BY cycle", [
    id,
  ]);
}

describe("D1 copies of receipts", () => {
  it("writes more rows than one statement may bind, once each, and a resend adds nothing", async () => {
    const id = goalId();
    const batch = rows(id, 45); // 45 rows × 5 columns is over D1's 100 bound parameters
    await insertCycles(database(env), batch);
    await insertCycles(database(env), batch.slice(10, 30));
    expect((await stored(id)).map((r) => r.cycle)).toEqual(batch.map((r) => r.cycle));
  });

  it("splits large receipts across statements (each at most 100 KB), a huge one alone", async () => {
    const id = goalId();
    const batch = [
      ...rows(id, 6, 40_000),
      ...rows(id, 1, 150_000).map((r) => ({ ...r, cycle: 7 })),
    ];
    const groups = insertGroups(batch);
    const bytes = (group: CycleRow[]) =>
      group.reduce((sum, r) => sum + JSON.stringify(r.receipt).length, 0);
    expect(groups.map((g) => g.length)).toEqual([2, 2, 2, 1]);
    expect(groups.slice(0, 3).every((g) => bytes(g) <= 100_000)).toBe(true);
    await insertCycles(database(env), batch.slice(0, 6));
    expect((await stored(id)).map((r) => r.cycle)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
