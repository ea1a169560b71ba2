/**
 * Registration refuses the targets a goal's URLs show to be off-limits, as a
 * 422 naming each field. The Worker is called with the switch off (as
 * deployed) and through the test config's env (switch on, for the loopback
 * receiver).
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, goalTenant } from "../helpers.ts";

type Worker = { fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> };
const worker = (await import("../../src/index.ts")).default as unknown as Worker;

const closed: Env = { ...env, ALLOW_PRIVATE_TARGETS: "false" };

/** Sends a request to the Worker with the switch off. */
async function callClosed(method: string, path: string, key: string, body: unknown) {
  const ctx = createExecutionContext();
  const response = await worker.fetch(
    new Request(`http://faas.test${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
    closed,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON response fields
  return { status: response.status, body: (await response.json()) as any };
}

const withHook = (url: string) => ({
  name: "hooked",
  every: "1h",
  observe: { x: { from: "push" } },
  decide: { rules: [{ id: "r", when: "x > 1", do: "notify" }] },
  act: { notify: { webhook: url } },
});

const issuesOf = (body: { error: { details: { issues: { path: string; code: string }[] } } }) =>
  body.error.details.issues.map(({ path, code }) => [path, code]);

describe("registering a goal with the switch off", () => {
  it.each([
    ["http://10.0.0.1/", "TARGET_REFUSED"],
    ["http://[::ffff:127.0.0.1]/", "TARGET_REFUSED"],
    ["http://127.1:8080/", "TARGET_REFUSED"],
    ["http://[fd00:ec2::254]/", "TARGET_REFUSED"],
    ["http://metadata.google.internal/", "TARGET_REFUSED"],
    ["http://localhost../", "TARGET_REFUSED"],
    ["http://LOCALHOST./", "TARGET_REFUSED"],
    ["http://127.0.0.1../", "TARGET_REFUSED"],
    ["file:///etc/passwd", "INVALID_URL"],
  ])("refuses a webhook to %s with a 422 naming the field", async (url, code) => {
    const { key } = await goalTenant();
    const res = await callClosed("POST", "/v1/goals", key, withHook(url));
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("GOAL_INVALID");
    expect(issuesOf(res.body)).toEqual([["act.notify.webhook", code]]);
    expect(res.body.error.message).toMatch(/^act\.notify\.webhook: /);
  });

  it("names every refused URL at once: polled sources and spawned specs too", async () => {
    const { key } = await goalTenant();
    const spec = {
      ...withHook("http://192.168.1.1/hook"),
      observe: {
        x: { from: "push" },
        price: { from: "http", url: "http://169.254.169.254/latest/" },
      },
      act: {
        notify: { webhook: "http://192.168.1.1/hook" },
        child: {
          spawn: { spec: { name: "c", act: { leak: { webhook: "http://[::1]:9/" } } } },
        },
      },
    };
    const res = await callClosed("POST", "/v1/goals", key, spec);
    expect(res.status).toBe(422);
    expect(issuesOf(res.body)).toEqual([
      ["observe.price.url", "TARGET_REFUSED"],
      ["act.notify.webhook", "TARGET_REFUSED"],
      ["act.child.spawn.spec.act.leak.webhook", "TARGET_REFUSED"],
    ]);
  });

  it("reports refused targets next to the spec's other issues", async () => {
    const { key } = await goalTenant();
    const spec = { ...withHook("http://10.0.0.1/"), every: "soon" };
    const res = await callClosed("POST", "/v1/goals", key, spec);
    expect(issuesOf(res.body)).toEqual([
      ["every", "INVALID_DURATION"],
      ["act.notify.webhook", "TARGET_REFUSED"],
    ]);
  });

  it("refuses a private target in a replaced spec too", async () => {
    const { key } = await goalTenant();
    const created = await callClosed("POST", "/v1/goals", key, withHook("https://hooks.example/"));
    expect(created.status).toBe(201);
    const id = created.body.id;
    const res = await callClosed("PUT", `/v1/goals/${id}`, key, withHook("http://10.1.2.3/"));
    expect(res.status).toBe(422);
    expect(issuesOf(res.body)).toEqual([["act.notify.webhook", "TARGET_REFUSED"]]);
  });

  it("accepts a host name: what it resolves to is checked before each request", async () => {
    const { key } = await goalTenant();
    const res = await callClosed("POST", "/v1/goals", key, withHook("http://rebind.test/"));
    expect(res.status).toBe(201);
  });
});

describe("registering a goal with the switch on", () => {
  it("accepts private targets", async () => {
    const { key } = await goalTenant();
    const res = await call("POST", "/v1/goals", { key, body: withHook("http://10.0.0.1/") });
    expect(res.status).toBe(201);
  });

  it("still refuses credentials in the URL and non-http schemes", async () => {
    const { key } = await goalTenant();
    const userinfo = await call("POST", "/v1/goals", {
      key,
      body: withHook("http://user:secret@hooks.example/"),
    });
    expect(userinfo.status).toBe(422);
    expect(issuesOf(userinfo.body)).toEqual([["act.notify.webhook", "TARGET_REFUSED"]]);
    const gopher = await call("POST", "/v1/goals", { key, body: withHook("gopher://h.example/") });
    expect(issuesOf(gopher.body)).toEqual([["act.notify.webhook", "INVALID_URL"]]);
  });
});
