/**
 * The MCP server at /mcp, driven by the official SDK's client: tools listed
 * by the key's scopes, every tool calling the API, errors as tool results
 * with the API's codes, positions, hints and issues.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createKey, eventually, goalTenant, uniqueTenant } from "../helpers.ts";
import { callTool, mcpClient } from "./client.ts";

const ALL_TOOLS = [
  "eval_formula",
  "list_formulas",
  "get_formula",
  "put_formula",
  "list_goals",
  "get_goal",
  "create_goal",
  "update_goal",
  "pause_goal",
  "resume_goal",
  "push_observations",
  "list_cycles",
  "simulate_goal",
  "replay_goal",
  "list_approvals",
  "decide_approval",
];

const READ_GOAL_TOOLS = [
  "get_goal",
  "list_approvals",
  "list_cycles",
  "list_goals",
  "replay_goal",
  "simulate_goal",
];

function stockSpec(reorderPoint = 20) {
  return {
    name: "restock",
    every: "1h",
    params: { reorder_point: reorderPoint },
    observe: { stock: { from: "push" } },
    orient: { need: "stock < reorder_point" },
    decide: { rules: [{ id: "low", when: "need", do: "note" }] },
    act: { note: { record: { collection: "notes", key: "last", value: { stock: "=stock" } } } },
  };
}

describe("mcp tools: listing by scope", () => {
  it("lists all 16 tools to a key with every scope, each with an object schema, a description and hints", async () => {
    const { key } = await goalTenant();
    const client = await mcpClient(key);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([...ALL_TOOLS].sort());
    for (const tool of tools) {
      expect(tool.inputSchema.type).toBe("object");
      expect(tool.description?.length).toBeGreaterThan(40);
      expect(tool.description).not.toMatch(/\n/); // one line an agent can act on
      expect(tool.description).toMatch(/\(scope [a-z:]+\)$/);
      expect(tool.annotations).toBeDefined();
    }
    const byName = new Map(tools.map((t) => [t.name, t]));
    expect(byName.get("list_cycles")?.annotations?.readOnlyHint).toBe(true);
    expect(byName.get("decide_approval")?.inputSchema.required).toEqual(
      expect.arrayContaining(["goal_id", "key", "decision"]),
    );
    expect(byName.get("decide_approval")?.inputSchema.properties?.decision).toMatchObject({
      enum: ["approve", "reject"],
    });
    await client.close();
  });

  it("lists only the read tools to a goals:read key; calling another is the API's FORBIDDEN as a tool error", async () => {
    const tenant = uniqueTenant("mcp");
    const key = await createKey(tenant, ["goals:read"]);
    const client = await mcpClient(key);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(READ_GOAL_TOOLS);

    // Not listed, yet called: the API's own refusal, naming the scope.
    const refused = await callTool(client, "create_goal", { spec: stockSpec() });
    expect(refused.isError).toBe(true);
    expect(refused.json.error).toMatchObject({
      code: "FORBIDDEN",
      status: 403,
      details: { required: "goals:write" },
    });
    const formula = await callTool(client, "eval_formula", { expr: "1+1", vars: {} });
    expect(formula.json.error).toMatchObject({
      code: "FORBIDDEN",
      details: { required: "formulas:read" },
    });
    const unknown = await callTool(client, "drop_everything", {});
    expect(unknown.isError).toBe(true);
    expect(unknown.text).toMatch(/drop_everything not found/);
    // The listed tools work.
    expect(await callTool(client, "list_goals")).toMatchObject({
      isError: false,
      json: { goals: [], next_cursor: null },
    });
    await client.close();
  });

  it("a batch that lists the tools and calls an unlisted one gets the short list and the API's FORBIDDEN", async () => {
    const key = await createKey(uniqueTenant("mcp"), ["goals:read"]);
    const res = await exports.default.fetch("http://faas.test/mcp", {
      method: "POST",
      headers: {
        authorization: `Bearer ${key}`,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
      },
      body: JSON.stringify([
        { jsonrpc: "2.0", id: 1, method: "tools/list" },
        {
          jsonrpc: "2.0",
          id: 2,
          method: "tools/call",
          params: { name: "create_goal", arguments: { spec: stockSpec() } },
        },
      ]),
    });
    expect(res.status).toBe(200);
    // biome-ignore lint/suspicious/noExplicitAny: JSON-RPC answers
    const answers = (await res.json()) as any[];
    const list = answers.find((a) => a.id === 1);
    expect(list.result.tools.map((t: { name: string }) => t.name).sort()).toEqual(READ_GOAL_TOOLS);
    const call = answers.find((a) => a.id === 2);
    expect(call.result.isError).toBe(true);
    expect(call.result.structuredContent.error).toMatchObject({
      code: "FORBIDDEN",
      status: 403,
      details: { required: "goals:write" },
    });
  });

  it("an admin key sees every tool; a formulas-only key no goal tool", async () => {
    const admin = await createKey(uniqueTenant("mcp"), ["admin"]);
    const adminClient = await mcpClient(admin);
    expect((await adminClient.listTools()).tools).toHaveLength(ALL_TOOLS.length);
    await adminClient.close();
    const formulas = await createKey(uniqueTenant("mcp"), ["formulas:read"]);
    const client = await mcpClient(formulas);
    expect((await client.listTools()).tools.map((t) => t.name).sort()).toEqual([
      "eval_formula",
      "get_formula",
      "list_formulas",
    ]);
    await client.close();
  });
});

describe("mcp tools: formulas", () => {
  it("put, get, list and evaluate a formula, ad hoc and by name", async () => {
    const { key } = await goalTenant();
    const client = await mcpClient(key);
    const put = await callTool(client, "put_formula", {
      name: "margin",
      expr: "(price - cost) / price",
      params: ["price", { name: "cost", default: 0 }],
      description: "gross margin",
    });
    expect(put).toMatchObject({ isError: false, json: { name: "margin", version: 1 } });
    const again = await callTool(client, "put_formula", {
      name: "margin",
      expr: "(price - cost) / price * 100",
      params: ["price", { name: "cost", default: 0 }],
      if_match_version: 1,
    });
    expect(again.json.version).toBe(2);

    expect((await callTool(client, "get_formula", { name: "margin" })).json).toMatchObject({
      version: 2,
      inputs: ["price", "cost"],
    });
    expect(
      (await callTool(client, "get_formula", { name: "margin", version: 1 })).json,
    ).toMatchObject({ version: 1, expr: "(price - cost) / price" });
    const list = await callTool(client, "list_formulas", { limit: 10 });
    expect(list.json.formulas.map((f: { name: string }) => f.name)).toEqual(["margin"]);

    expect(
      (await callTool(client, "eval_formula", { name: "margin", vars: { price: 10, cost: 4 } }))
        .json,
    ).toMatchObject({ name: "margin", version: 2, value: 60 });
    expect(
      (
        await callTool(client, "eval_formula", {
          name: "margin",
          version: 1,
          rows: [{ price: 10, cost: 4 }, { price: 4 }],
        })
      ).json,
    ).toMatchObject({ version: 1, values: [0.6, 1] });
    expect(
      (await callTool(client, "eval_formula", { expr: "x + y", columns: { x: [1, 2], y: [3, 4] } }))
        .json,
    ).toEqual({ values: [4, 6] });
    await client.close();
  });

  it("a formula error comes back as isError with the API's code, position and hint", async () => {
    const { key } = await goalTenant();
    const client = await mcpClient(key);
    const out = await callTool(client, "eval_formula", { expr: "1 + avg(xs)", vars: { xs: [1] } });
    expect(out.isError).toBe(true);
    expect(out.json.error).toMatchObject({
      code: "FORMULA_UNKNOWN_FUNCTION",
      status: 422,
      details: { position: { offset: 4, line: 1, column: 5 }, hint: "did you mean `mean`?" },
    });
    expect(out.result.structuredContent).toEqual(out.json);

    const syntax = await callTool(client, "put_formula", { name: "broken", expr: "1 +* 2" });
    expect(syntax.json.error).toMatchObject({
      code: "FORMULA_SYNTAX",
      details: { position: { line: 1 } },
    });
    const conflict = await callTool(client, "put_formula", {
      name: "broken",
      expr: "1 + 2",
      if_match_version: 7,
    });
    expect(conflict.json.error).toMatchObject({ status: 409 });
    // An expression with a name is the API's to refuse, naming the key.
    const both = await callTool(client, "eval_formula", { expr: "1", name: "x", vars: {} });
    expect(both.json.error.code).toBe("VALIDATION_FAILED");
    expect(JSON.stringify(both.json.error.details)).toContain("name");
    await client.close();
  });

  it("a bad argument is a tool error from the input schema, and nothing is called", async () => {
    const { key } = await goalTenant();
    const client = await mcpClient(key);
    const noName = await callTool(client, "get_formula", {});
    expect(noName.isError).toBe(true);
    expect(noName.text).toMatch(/Input validation error/);
    expect(noName.text).toMatch(/name/);
    const badLimit = await callTool(client, "list_formulas", { limit: "lots" });
    expect(badLimit).toMatchObject({ isError: true });
    expect(badLimit.text).toMatch(/limit/);
    const dots = await callTool(client, "get_goal", { goal_id: ".." });
    expect(dots.isError).toBe(true);
    expect(dots.text).toMatch(/cannot be \. or \.\./);
    const decision = await callTool(client, "decide_approval", {
      goal_id: "g_1",
      key: "k",
      decision: "maybe",
    });
    expect(decision.isError).toBe(true);
    expect(decision.text).toMatch(/decision/);
    await client.close();
  });
});

describe("mcp tools: hostile arguments", () => {
  it("arguments the API refuses come back as its errors: too deep, too many rows, a number out of range", async () => {
    const { key } = await goalTenant();
    const client = await mcpClient(key);
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = { d: deep };
    const tooDeep = await callTool(client, "eval_formula", { expr: "1", vars: { x: deep } });
    expect(tooDeep.json.error).toMatchObject({ code: "JSON_TOO_DEEP", status: 400 });
    const rows = Array.from({ length: 10_001 }, () => ({ x: 1 }));
    const tooMany = await callTool(client, "eval_formula", { expr: "x", rows });
    expect(tooMany.json.error).toMatchObject({ code: "VALIDATION_FAILED", status: 400 });
    const bounded = await callTool(client, "put_formula", {
      name: "rate",
      expr: "r * 2",
      params: [{ name: "r", min: 0, max: 1 }],
    });
    expect(bounded.isError).toBe(false);
    const out = await callTool(client, "eval_formula", { name: "rate", vars: { r: 5 } });
    expect(out.json.error).toMatchObject({ code: "FORMULA_PARAM_RANGE", status: 422 });
    await client.close();
  });
});

describe("mcp tools: goals", () => {
  it("create, read, list, push, receipts, pause, resume, update, simulate and replay", async () => {
    const { key } = await goalTenant();
    const client = await mcpClient(key);
    const created = await callTool(client, "create_goal", {
      spec: stockSpec(),
      idempotency_key: "create-1",
    });
    expect(created.isError).toBe(false);
    const id = created.json.id as string;
    expect(id).toMatch(/^g_/);
    expect(created.json.signing_secret).toMatch(/^whsec_/);
    const retried = await callTool(client, "create_goal", {
      spec: stockSpec(),
      idempotency_key: "create-1",
    });
    expect(retried.json.id).toBe(id);

    const list = await callTool(client, "list_goals", { include_live: true });
    expect(list.json.goals).toEqual([expect.objectContaining({ id, name: "restock" })]);
    expect(list.json.goals[0].live).toBeDefined();

    const pushed = await callTool(client, "push_observations", {
      goal_id: id,
      name: "stock",
      value: 7,
      idempotency_key: "push-1",
    });
    expect(pushed.json).toMatchObject({ accepted: 1, duplicate: false });
    const repeat = await callTool(client, "push_observations", {
      goal_id: id,
      name: "stock",
      value: 7,
      idempotency_key: "push-1",
    });
    expect(repeat.json.duplicate).toBe(true);
    const payload = await callTool(client, "push_observations", {
      goal_id: id,
      payload: { stock: 30 },
    });
    expect(payload.json).toMatchObject({ accepted: 1 });
    const unknown = await callTool(client, "push_observations", {
      goal_id: id,
      values: { price: 3 },
    });
    expect(unknown.json.error.code).toBe("UNKNOWN_OBSERVATION");

    const receipts = await eventually(async () => {
      const page = await callTool(client, "list_cycles", { goal_id: id, limit: 50 });
      const fired = page.json.cycles?.some((r: { verdicts?: { status: string }[] }) =>
        r.verdicts?.some((v) => v.status === "matched"),
      );
      return fired ? page.json : undefined;
    });
    expect(receipts.cycles.length).toBeGreaterThan(0);

    const goal = await callTool(client, "get_goal", { goal_id: id });
    expect(goal.json).toMatchObject({ id, spec_version: 1, spec: { name: "restock" } });
    expect((await callTool(client, "pause_goal", { goal_id: id })).json.status).toBe("paused");
    expect((await callTool(client, "resume_goal", { goal_id: id })).json.status).toBe("active");

    const updated = await callTool(client, "update_goal", {
      goal_id: id,
      spec: stockSpec(5),
      if_match_version: 1,
    });
    expect(updated.json.spec_version).toBe(2);
    const stale = await callTool(client, "update_goal", {
      goal_id: id,
      spec: stockSpec(6),
      if_match_version: 1,
    });
    expect(stale.json.error).toMatchObject({ code: "VERSION_CONFLICT", status: 409 });
    const v1 = await callTool(client, "get_goal", { goal_id: id, spec_version: 1 });
    expect(v1.json.spec.params).toEqual({ reorder_point: 20 });

    const simulated = await callTool(client, "simulate_goal", {
      spec: stockSpec(),
      observations: [
        { at: "2026-01-01T00:00:00Z", values: { stock: 50 } },
        { at: "2026-01-01T00:01:00Z", values: { stock: 3 } },
      ],
    });
    expect(simulated.json.cycles).toHaveLength(2);
    expect(simulated.json.cycles[1].verdicts[0].status).toBe("matched");

    const replayed = await callTool(client, "replay_goal", { goal_id: id });
    expect(replayed.json.compared).toMatchObject({ differing: [] });
    await client.close();
  });

  it("an invalid spec is GOAL_INVALID naming the field, with the formula error's position", async () => {
    const { key } = await goalTenant();
    const client = await mcpClient(key);
    const spec = stockSpec();
    spec.orient.need = "stock < avg(";
    const out = await callTool(client, "create_goal", { spec });
    expect(out.isError).toBe(true);
    expect(out.json.error.code).toBe("GOAL_INVALID");
    expect(JSON.stringify(out.json.error.details)).toContain("orient.need");
    expect(JSON.stringify(out.json.error.details)).toContain('"position"');
    await client.close();
  });

  it("another tenant's goal is not found, as over HTTP; a goal id with a slash stays one segment", async () => {
    const owner = await goalTenant();
    const ownerClient = await mcpClient(owner.key);
    const id = (await callTool(ownerClient, "create_goal", { spec: stockSpec() })).json.id;
    await ownerClient.close();

    const other = await goalTenant();
    const client = await mcpClient(other.key);
    for (const [tool, args] of [
      ["get_goal", { goal_id: id }],
      ["list_cycles", { goal_id: id }],
      ["pause_goal", { goal_id: id }],
      ["push_observations", { goal_id: id, name: "stock", value: 1 }],
      ["decide_approval", { goal_id: id, key: `${id}:1:low:note`, decision: "approve" }],
    ] as const) {
      const out = await callTool(client, tool, args);
      expect(out.json.error, tool).toMatchObject({ code: "NOT_FOUND", status: 404 });
    }
    const slash = await callTool(client, "get_goal", { goal_id: `../../v1/keys` });
    expect(slash.json.error).toMatchObject({ code: "NOT_FOUND" });
    await client.close();
  });
});
