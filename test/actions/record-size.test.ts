/**
 * A record action is held to the same 64 KiB (UTF-8 bytes of its JSON) as
 * `PUT /v1/records/…`: one over it fails the action at once, writes nothing
 * and files no change event; one that fits is written.
 */
import { describe, expect, it } from "vitest";
import { uniqueTenant } from "../helpers.ts";
import { storeRows } from "../store-sql.ts";
import { deliver, recordMessage } from "./record-delivery.ts";

/** "€" is 3 bytes in UTF-8, so a string of n of them is 3n + 2 bytes of JSON: 65,537 and 65,534. */
const OVER = 21_845;
const FITS = 21_844;

async function count(sql: string, tenant: string): Promise<number> {
  const [row] = await storeRows<{ n: number }>(sql, [tenant]);
  return Number(row?.n ?? 0);
}

describe("record actions and the record size limit", () => {
  it("a value over 64 KiB fails the action at once and writes nothing", async () => {
    const tenant = uniqueTenant("size");
    const { acked, result } = await deliver(recordMessage(tenant, "c", "big", "€".repeat(OVER)));
    expect(acked).toBe(true);
    expect(result).toMatchObject({ action: "save", status: "failed", attempt: 1 });
    expect(result.error).toBe(
      `a record is at most 65536 bytes of JSON (UTF-8); this one is ${3 * OVER + 2}`,
    );
    expect(await count("SELECT count(*) AS n FROM records WHERE tenant = ?", tenant)).toBe(0);
    expect(await count("SELECT count(*) AS n FROM record_events WHERE tenant = ?", tenant)).toBe(0);
  });

  it("a value just under 64 KiB is written", async () => {
    const tenant = uniqueTenant("size");
    const { result } = await deliver(recordMessage(tenant, "c", "fits", "€".repeat(FITS)));
    expect(result).toMatchObject({ action: "save", status: "ok", value: { version: 1 } });
    const [row] = await storeRows<{ value: string }>(
      "SELECT value FROM records WHERE tenant = ? AND `key` = ?",
      [tenant, "fits"],
    );
    expect(JSON.parse(row?.value ?? "null")).toBe("€".repeat(FITS));
  });
});
