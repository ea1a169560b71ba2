/**
 * A list cursor is the `next_cursor` of a previous page: no control character
 * and no trailing space (keys written before the records rule, `a b` or
 * `café`, still page on). Found on MySQL: its collations compare as if short
 * strings were padded with spaces, so a cursor ending in a tab (`a\t`) sorted
 * after `a` there and before it in D1, and the same page listed `a` in one
 * store and not in the other. Such a cursor is now a 400 in both.
 */
import { describe, expect, it } from "vitest";
import { call, createKey, uniqueTenant } from "../helpers.ts";

describe("list cursors", () => {
  it("a limit written other than as a decimal number is a 400 naming it, in every list", async () => {
    const key = await createKey(uniqueTenant("cur"), ["admin"]);
    const lists = ["/v1/records/c", "/v1/formulas", "/v1/goals", "/v1/approvals"];
    for (const list of lists) {
      // Coercion alone read these as 16, 10, 0 and 2.
      for (const limit of ["0x10", "1e1", "%20", "%202%20"]) {
        const res = await call("GET", `${list}?limit=${limit}`, { key });
        expect([list, limit, res.status]).toEqual([list, limit, 400]);
        expect(res.body.error.details.issues[0].path).toBe("limit");
      }
      expect((await call("GET", `${list}?limit=2`, { key })).status).toBe(200);
    }
  });

  it("a cursor with a space or control character is a 400, in every list", async () => {
    const key = await createKey(uniqueTenant("cur"), ["admin"]);
    expect((await call("PUT", "/v1/records/c/a", { key, body: 1 })).status).toBe(200);
    expect((await call("PUT", "/v1/formulas/a", { key, body: { expr: "1" } })).status).toBe(201);
    for (const list of ["/v1/records/c", "/v1/formulas", "/v1/goals", "/v1/approvals"]) {
      for (const cursor of ["a%09", "a%20", "a%00", "a%09b", "a%7F", "%20"]) {
        const res = await call("GET", `${list}?cursor=${cursor}`, { key });
        expect([list, cursor, res.status]).toEqual([list, cursor, 400]);
        expect(res.body.error.code).toBe("VALIDATION_FAILED");
      }
      // Approvals page by a cursor of their own shape (time.goal:cycle:rule:action).
      for (const cursor of list === "/v1/approvals" ? [] : ["a%20b", "caf%C3%A9"]) {
        const res = await call("GET", `${list}?cursor=${cursor}`, { key });
        expect([list, cursor, res.status]).toEqual([list, cursor, 200]);
      }
    }
  });

  it("pages of records and formulas follow each other with no key skipped or repeated", async () => {
    const key = await createKey(uniqueTenant("cur"), ["admin"]);
    const names = ["A", "B", "a", "a-", "a.", "a_", "a0", "aa", "b", "z"];
    for (const n of names) {
      expect((await call("PUT", `/v1/records/c/${n}`, { key, body: 1 })).status).toBe(200);
    }
    const seen: string[] = [];
    let cursor = "";
    for (let page = 0; page < 10; page++) {
      const res = await call("GET", `/v1/records/c?limit=3${cursor}`, { key });
      expect(res.status).toBe(200);
      seen.push(...res.body.records.map((r: { key: string }) => r.key));
      if (res.body.next_cursor === null) break;
      cursor = `&cursor=${encodeURIComponent(res.body.next_cursor)}`;
    }
    expect(seen).toEqual([...names].sort());
  });
});
