/**
 * `npm run check:client`: the typed client (client/) against a real `wrangler dev`
 * on a fresh local D1, from outside, as a user's program would use it. Checks that
 * the runtime serves the very document `check:openapi` validated, then walks the
 * main paths through the client: keys, formulas, records, a goal fed by a push
 * and through /ingest with its ingest secret, the audit trail, metrics in both
 * forms, and a refusal read as the typed error envelope.
 */
import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { rmSync } from "node:fs";
import { migratedState, startRuntime } from "../../bench/runtime.ts";
import { createFaasClient } from "../../client/index.ts";

const ADMIN = "client-check-admin-token";

// The app is Worker code, type-checked by tsconfig.json (see openapi.ts).
const appModule = new URL("../../src/api/app.ts", import.meta.url).href;
const { apiDocument } = (await import(appModule)) as {
  apiDocument: () => Record<string, unknown>;
};

function step(what: string): void {
  console.log(`ok  ${what}`);
}

const persist = migratedState("faas-client-");
const runtime = await startRuntime({ persist, vars: { ADMIN_TOKEN: ADMIN } });
try {
  const admin = createFaasClient(runtime.base, ADMIN);
  const served = await admin.GET("/openapi.json");
  deepStrictEqual(served.data, apiDocument());
  step("GET /openapi.json is the document check:openapi validates");

  const created = await admin.POST("/v1/keys", {
    body: {
      tenant: "client-check",
      scopes: ["formulas:read", "formulas:write", "goals:read", "goals:write", "observe"],
    },
  });
  if (!created.data) throw new Error(`createKey: ${JSON.stringify(created.error)}`);
  const faas = createFaasClient(runtime.base, created.data.key);
  step("createKey");

  const put = await faas.PUT("/v1/formulas/{name}", {
    params: { path: { name: "margin" } },
    body: { expr: "(price - cost) / price", params: ["price", { name: "cost", default: 0 }] },
  });
  equal(put.data?.version, 1);
  const evaluated = await faas.POST("/v1/formulas/{name}/eval", {
    params: { path: { name: "margin" } },
    body: { vars: { price: 10, cost: 4 } },
  });
  deepStrictEqual(evaluated.data, { name: "margin", version: 1, value: 0.6 });
  step("putFormula, evaluateFormula");

  const refused = await faas.POST("/v1/eval", { body: { expr: "nope(" } });
  equal(refused.response.status, 400);
  equal(refused.error?.error.code, "FORMULA_SYNTAX");
  step("a refusal reads as the typed error envelope");

  const goal = await faas.POST("/v1/goals", {
    body: {
      name: "client-check",
      every: "1h",
      observe: { x: { from: "push" } },
    },
  });
  if (!goal.data) throw new Error(`createGoal: ${JSON.stringify(goal.error)}`);
  const { id, ingest_secret: ingestSecret } = goal.data;
  ok(ingestSecret, "an ingest secret is shown at creation");
  const pushed = await faas.POST("/v1/goals/{id}/observations", {
    params: { path: { id } },
    body: { name: "x", value: 12 },
  });
  equal(pushed.data?.accepted, 1);
  const ingest = createFaasClient(runtime.base, ingestSecret);
  const ingested = await ingest.POST("/ingest/goals/{id}/observations", {
    params: { path: { id } },
    body: { values: { x: 3 } },
  });
  equal(ingested.data?.accepted, 1);
  step("createGoal, pushObservations, ingestObservations (ingest secret)");

  let cycles = 0;
  for (let i = 0; i < 40 && cycles < 2; i++) {
    const page = await faas.GET("/v1/goals/{id}/cycles", { params: { path: { id } } });
    cycles = page.data?.cycles.length ?? 0;
    if (cycles < 2) await new Promise((r) => setTimeout(r, 250));
  }
  ok(cycles >= 2, `two cycles ran (saw ${cycles})`);
  step("listCycles");

  const json = await faas.GET("/v1/metrics");
  ok(typeof json.data === "object" && json.data.window === "5m");
  const text = await faas.GET("/v1/metrics", {
    headers: { accept: "text/plain" },
    parseAs: "text",
  });
  equal(text.response.headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  ok(typeof text.data === "string" && text.data.length > 0);
  step("getMetrics as JSON and as Prometheus text");
  console.log("the typed client drives the running service");
} finally {
  await runtime.stop();
  rmSync(persist, { recursive: true, force: true });
}
