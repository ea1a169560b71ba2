/**
 * The "done when": an MCP client from the official SDK drives a goal
 * end to end: create it with an action a person must approve, push, read the
 * receipts, approve, and the webhook arrives at the receiver with the held
 * action's own key; the next receipts say who approved it and why.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ADMIN, call, eventually, seenBy, uniqueTenant } from "../helpers.ts";
import { callTool, mcpClient } from "./client.ts";

interface Receipt {
  cycle: number;
  verdicts?: { rule: string; status: string; guard?: string; reason?: string }[];
  act_results?: { key: string; status: string }[];
  decisions?: { key: string; decision: string; reason?: string; by?: unknown }[];
}

describe("mcp end to end", () => {
  it("create, push, read the receipts, approve: the webhook arrives", async () => {
    const created = await call("POST", "/v1/keys", {
      key: ADMIN,
      body: {
        tenant: uniqueTenant("mcp"),
        scopes: ["goals:read", "goals:write", "observe"],
        name: "agent",
      },
    });
    const { key, id: keyId } = created.body as { key: string; id: string };
    const client = await mcpClient(key);
    const path = `/ok/${crypto.randomUUID()}`;

    const goal = await callTool(client, "create_goal", {
      spec: {
        name: "approve-orders",
        every: "1h",
        observe: { stock: { from: "push" } },
        decide: { rules: [{ id: "low", when: "stock < 20", do: "order" }] },
        act: {
          order: { webhook: `${env.TEST_RECEIVER}${path}/order`, body: { qty: "=100 - stock" } },
        },
        guard: { approve: ["order"], approve_within: "1h" },
      },
    });
    expect(goal.isError).toBe(false);
    const id = goal.json.id as string;

    const pushed = await callTool(client, "push_observations", {
      goal_id: id,
      name: "stock",
      value: 7,
    });
    expect(pushed.json).toMatchObject({ accepted: 1 });

    // The receipts: the rule matched, and the guard holds its action for approval.
    const held = await eventually(async () => {
      const page = await callTool(client, "list_cycles", { goal_id: id });
      const receipts = page.json.cycles as Receipt[];
      // The push's cycle: the goal's first cycle, at its start, saw no stock yet.
      return receipts.find((r) =>
        r.verdicts?.some((v) => v.rule === "low" && v.status !== "insufficient_data"),
      );
    });
    expect(held.verdicts?.find((v) => v.rule === "low")).toMatchObject({
      status: "blocked",
      guard: "approve",
      reason: "awaiting approval: order",
    });
    const pending = await eventually(async () => {
      const page = await callTool(client, "list_approvals", { goal_id: id, status: "pending" });
      return page.json.approvals?.[0];
    });
    expect(pending).toMatchObject({ action: "order", rule: "low", status: "pending" });
    expect(pending.payload.body).toEqual({ qty: 93 });
    expect(await seenBy(`${path}/order`)).toEqual([]);
    const inbox = await callTool(client, "list_approvals", { status: "pending" });
    expect(inbox.json.approvals.map((a: { key: string }) => a.key)).toContain(pending.key);

    const decided = await callTool(client, "decide_approval", {
      goal_id: id,
      key: pending.key,
      decision: "approve",
      reason: "stock checked by the agent",
    });
    expect(decided.json).toMatchObject({
      repeated: false,
      approval: {
        status: "approved",
        reason: "stock checked by the agent",
        decided_by: { key_id: keyId, name: "agent" },
      },
    });
    const [delivery] = await eventually(async () => {
      const seen = await seenBy(`${path}/order`);
      return seen.length > 0 ? seen : undefined;
    });
    expect(delivery?.headers["idempotency-key"]).toBe(pending.key);
    expect(JSON.parse(delivery?.body ?? "")).toEqual({ qty: 93 });

    // Deciding otherwise now is the API's 409, as a tool error.
    const reject = await callTool(client, "decide_approval", {
      goal_id: id,
      key: pending.key,
      decision: "reject",
    });
    expect(reject.json.error).toMatchObject({ code: "APPROVAL_DECIDED", status: 409 });

    // The receipts say who approved, when and why, then the action's result.
    const receipts = await eventually(async () => {
      const page = await callTool(client, "list_cycles", { goal_id: id });
      const all = page.json.cycles as Receipt[];
      const ok = all.some((r) =>
        r.act_results?.some((a) => a.key === pending.key && a.status === "ok"),
      );
      return ok ? all : undefined;
    });
    expect(receipts.flatMap((r) => r.decisions ?? [])).toEqual([
      expect.objectContaining({
        key: pending.key,
        decision: "approved",
        by: { key_id: keyId, name: "agent" },
        reason: "stock checked by the agent",
      }),
    ]);
    await client.close();
  }, 20_000);
});
