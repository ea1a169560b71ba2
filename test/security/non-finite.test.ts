/**
 * JSON.parse reads 1e400 as Infinity, which JSON.stringify then writes as
 * null: a body with a number beyond a double's range must be refused (400,
 * naming where), never stored or used as something else.
 */
import { describe, expect, it } from "vitest";
import { type Call, call, goalTenant } from "../helpers.ts";

const pushSpec = { name: "nf", every: "1h", observe: { x: { from: "push" } } };

/** A 400 whose issues name exactly `paths`. */
function expectRefused(res: Call, paths: string[]) {
  expect(res.status).toBe(400);
  expect(res.body.error.code).toBe("VALIDATION_FAILED");
  expect(res.body.error.details.issues.map((i: { path: string }) => i.path)).toEqual(paths);
  expect(res.body.error.message).toContain("finite");
}

describe("numbers beyond a double's range", () => {
  it("are refused in a record, naming each path; nothing is stored", async () => {
    const { key } = await goalTenant();
    const body = '{"a":{"v":1e400},"xs":[1,-1e400],"ok":1e308}';
    expectRefused(await call("PUT", "/v1/records/nf/k", { key, body }), ["a.v", "xs.1"]);
    expect((await call("GET", "/v1/records/nf/k", { key })).status).toBe(404);
    expectRefused(await call("PUT", "/v1/records/nf/k", { key, body: "-1e400" }), [""]);
  });

  it("are refused in a stream event, a push, the ingest route, an eval and a goal spec", async () => {
    const { key } = await goalTenant();
    const created = await call("POST", "/v1/goals", { key, body: pushSpec });
    const { id, ingest_secret: ingest } = created.body;
    const cases: [string, string, string, string | undefined, string[]][] = [
      ["POST", "/v1/streams/nf", '{"deep":[{"n":-1e400}]}', key, ["deep.0.n"]],
      [
        "POST",
        `/v1/goals/${id}/observations`,
        '{"name":"x","value":{"v":1e400}}',
        key,
        ["value.v"],
      ],
      [
        "POST",
        `/v1/goals/${id}/observations`,
        '{"observations":[{"name":"x","value":1},{"name":"x","value":-1e999}]}',
        key,
        ["observations.1.value"],
      ],
      ["POST", `/ingest/goals/${id}/observations`, '{"values":{"x":1E+400}}', ingest, ["values.x"]],
      ["POST", "/v1/eval", '{"expr":"x","vars":{"x":1e400}}', key, ["vars.x"]],
      ["POST", "/v1/goals", '{"name":"p","params":{"big":-1e400}}', key, ["params.big"]],
    ];
    for (const [method, path, body, auth, paths] of cases) {
      const res = await call(method, path, { key: auth, body });
      expect(res.status, path).toBe(400);
      expectRefused(res, paths);
    }
    const goal = (await call("GET", `/v1/goals/${id}`, { key })).body;
    expect(goal.latest.x).toBeUndefined();
  });

  it("a long integer literal that overflows is refused too; large finite numbers pass", async () => {
    const { key } = await goalTenant();
    const huge = `{"n":1${"0".repeat(400)}}`;
    expectRefused(await call("PUT", "/v1/records/nf/long", { key, body: huge }), ["n"]);
    const fine = await call("PUT", "/v1/records/nf/fine", {
      key,
      body: '{"n":1.7e308,"m":1e-400}',
    });
    expect(fine.status).toBe(200);
    expect(fine.body.value).toEqual({ n: 1.7e308, m: 0 });
  });
});
