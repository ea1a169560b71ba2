/**
 * A record action's collection and key (a rendered formula's included) are
 * held to the same 1-128 of `A-Z a-z 0-9 _ . -` as `/v1/records/…`. Found on
 * MySQL: a rendered key `k ` overwrote record `k` (its collation ignores
 * trailing spaces), a key over 256 characters did not fit its column and the
 * action was retried; on D1 both wrote records the API could not read or delete.
 */
import { describe, expect, it } from "vitest";
import { call, createKey, uniqueTenant } from "../helpers.ts";
import { storeRows } from "../store-sql.ts";
import { deliver, recordMessage } from "./record-delivery.ts";

describe("record actions and record key rules", () => {
  it("a key with a trailing space fails the action and leaves record `k` alone", async () => {
    const tenant = uniqueTenant("rkeys");
    const key = await createKey(tenant, ["records:read", "records:write"]);
    expect((await call("PUT", "/v1/records/c/k", { key, body: { by: "api" } })).status).toBe(200);
    for (const bad of ["k ", "k  ", "k\t", "a b"]) {
      const { acked, result } = await deliver(recordMessage(tenant, "c", bad, { by: "action" }));
      expect(acked).toBe(true);
      expect(result).toMatchObject({ action: "save", status: "failed", attempt: 1 });
      expect(result.error).toContain("must be 1-128 of A-Z a-z 0-9 _ . -");
    }
    const read = await call("GET", "/v1/records/c/k", { key });
    expect(read.body).toMatchObject({ key: "k", value: { by: "api" }, version: 1 });
    const list = await call("GET", "/v1/records/c", { key });
    expect((list.body as { records: { key: string }[] }).records.map((r) => r.key)).toEqual(["k"]);
  });

  it("a key or collection past 128 characters fails at once instead of being retried", async () => {
    const tenant = uniqueTenant("rkeys");
    for (const [collection, k] of [
      ["c", "x".repeat(129)],
      ["c", "x".repeat(300)],
      ["y".repeat(129), "k"],
    ] as const) {
      const { acked, result } = await deliver(
        recordMessage(tenant, collection, k, { by: "action" }),
      );
      expect(acked).toBe(true);
      expect(result).toMatchObject({ status: "failed", attempt: 1 });
    }
    // The stored failure quotes a long key cut short, with its length.
    const long = await deliver(recordMessage(tenant, "c", "z".repeat(60_000), { by: "action" }));
    expect(long.result.error).toContain("(60000 characters)");
    expect(long.result.error.length).toBeLessThan(300);
    const [row] = await storeRows<{ n: number }>(
      "SELECT count(*) AS n FROM records WHERE tenant = ?",
      [tenant],
    );
    expect(Number(row?.n)).toBe(0);
    const ok = await deliver(recordMessage(tenant, "c", "x".repeat(128), { by: "action" }));
    expect(ok.result).toMatchObject({ status: "ok", value: { version: 1 } });
  });
});
