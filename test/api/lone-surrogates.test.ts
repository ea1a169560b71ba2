/**
 * A string with a lone surrogate (`"\ud800"`) is not Unicode, and neither store
 * keeps it: found on both, a formula's description, a key's name or a goal's
 * name came back as three U+FFFD from D1 and one from MySQL, while the answer to
 * the write had echoed it as sent. Every JSON body now refuses one with a 400
 * naming where it is; a surrogate pair (escaped or not) is kept exactly.
 */
import { describe, expect, it } from "vitest";
import { ADMIN, call, createKey, uniqueTenant } from "../helpers.ts";

const LONE = ['"\\ud800"', '"a\\udc00"', '"\\ud83d x"', '"\\ude00\\ud83d"'];

describe("lone surrogates in JSON bodies", () => {
  it("are a 400 naming the path, in formulas, keys, goals and records", async () => {
    const tenant = uniqueTenant("sur");
    const key = await createKey(tenant, ["admin"]);
    for (const lone of LONE) {
      const bodies: [string, string, string, string][] = [
        ["PUT", "/v1/formulas/f", `{"expr":"1","description":${lone}}`, "description"],
        ["POST", "/v1/keys", `{"tenant":"${tenant}","scopes":["admin"],"name":${lone}}`, "name"],
        ["PUT", "/v1/records/c/k", `{"v":[1,${lone}]}`, "v.1"],
        ["PUT", "/v1/records/c/k", `{${lone}:1}`, JSON.parse(lone)],
      ];
      for (const [method, path, body, where] of bodies) {
        const res = await call(method, path, { key: path === "/v1/keys" ? ADMIN : key, body });
        expect([path, lone, res.status]).toEqual([path, lone, 400]);
        expect(res.body.error.code).toBe("VALIDATION_FAILED");
        expect(res.body.error.details.issues[0].path).toBe(where);
      }
    }
    expect((await call("GET", "/v1/formulas/f", { key })).status).toBe(404);
    expect((await call("GET", "/v1/records/c/k", { key })).status).toBe(404);
  });

  it("a surrogate pair, escaped or not, is stored and read back as sent", async () => {
    const key = await createKey(uniqueTenant("sur"), ["admin"]);
    const put = await call("PUT", "/v1/formulas/f", {
      key,
      body: '{"expr":"1","description":"\\ud83d\\ude00 😀"}',
    });
    expect(put.status).toBe(201);
    expect((await call("GET", "/v1/formulas/f", { key })).body.description).toBe("😀 😀");
    const rec = await call("PUT", "/v1/records/c/k", { key, body: '{"\\ud83d\\ude00":"😀"}' });
    expect(rec.status).toBe(200);
    expect((await call("GET", "/v1/records/c/k", { key })).body.value).toEqual({ "😀": "😀" });
  });
});
