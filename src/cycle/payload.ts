/**
 * Rendering an action's payload: its templates (compiled with the goal, see
 * `src/spec/template.ts`) evaluated over the cycle's variables, in the typed
 * shape the action runner takes (see `ActionBody`).
 */

import type { Vars } from "../formula/index.ts";
import {
  type CompiledAction,
  type JsonValue,
  type TemplateNode,
  toJsonValue,
} from "../spec/index.ts";
import { type Availability, blockerOf } from "./availability.ts";
import { evaluateSafely } from "./evaluate.ts";
import type { ActionBody } from "./receipt.ts";

/** Why an action cannot be planned this cycle. */
export interface PayloadFailure {
  readonly ok: false;
  readonly status: "insufficient_data" | "error";
  readonly reason: string;
  readonly code?: string;
}

/** A rendered payload, or why the action cannot be planned. */
export type RenderedPayload = { readonly ok: true; readonly body: ActionBody } | PayloadFailure;

/**
 * Renders `action`'s payload; an unavailable input or a failing template
 * stops it. A webhook carries the goal's `allow_hosts` (when it has them) so
 * the runner can hold redirects to them too.
 */
export function renderPayload(
  action: CompiledAction,
  vars: Readonly<Record<string, unknown>>,
  unavailable: Availability,
  allowHosts: readonly string[] | null = null,
): RenderedPayload {
  const blocker = blockerOf(action.reads, unavailable);
  if (blocker?.kind === "error") {
    const reason = `act.${action.name}: ${blocker.message}`;
    return { ok: false, status: "error", reason, code: blocker.code };
  }
  if (blocker !== undefined) {
    const reason = `insufficient data for act.${action.name}: ${blocker.reasons.join("; ")}`;
    return { ok: false, status: "insufficient_data", reason };
  }
  const { payload } = action;
  switch (payload.kind) {
    case "webhook": {
      const body = render(payload.body, vars);
      if (!body.ok) return body;
      const headers = { ...payload.headers };
      return {
        ok: true,
        body: {
          kind: "webhook",
          payload: {
            url: payload.url,
            method: "POST",
            headers,
            body: body.value,
            timeout_ms: payload.timeoutMs,
            ...(allowHosts === null ? {} : { allow_hosts: [...allowHosts] }),
          },
        },
      };
    }
    case "formula": {
      const args = render(payload.args, vars);
      if (!args.ok) return args;
      return {
        ok: true,
        body: {
          kind: "formula",
          payload: { name: payload.name, version: payload.version, args: args.value },
        },
      };
    }
    case "record": {
      const key = render(payload.key, vars);
      if (!key.ok) return key;
      const value = render(payload.value, vars);
      if (!value.ok) return value;
      if (typeof key.value !== "string" || key.value === "") {
        const reason = `act.${action.name}.record.key: must render to a non-empty string, got ${JSON.stringify(key.value)}`;
        return { ok: false, status: "error", reason, code: "RECORD_KEY_TYPE" };
      }
      return {
        ok: true,
        body: {
          kind: "record",
          payload: { collection: payload.collection, key: key.value, value: value.value },
        },
      };
    }
    case "signal": {
      const value = render(payload.value, vars);
      if (!value.ok) return value;
      return {
        ok: true,
        body: {
          kind: "signal",
          payload: { goal: payload.goal, name: payload.name, value: value.value },
        },
      };
    }
    case "spawn":
      return { ok: true, body: { kind: "spawn", payload: { spec: toJsonValue(payload.spec) } } };
  }
}

function render(
  node: TemplateNode | null,
  vars: Readonly<Record<string, unknown>>,
): { readonly ok: true; readonly value: JsonValue } | PayloadFailure {
  if (node === null) return { ok: true, value: null };
  const rendered = renderTemplate(node, vars);
  if (rendered.ok) return rendered;
  return {
    ok: false,
    status: "error",
    reason: `${rendered.path}: ${rendered.message}`,
    code: rendered.code,
  };
}

/** A rendered template, or the first formula in it that failed. */
export type Rendered =
  | { readonly ok: true; readonly value: JsonValue }
  | { readonly ok: false; readonly path: string; readonly code: string; readonly message: string };

/**
 * Renders a template over `vars`. Formula results are JSON by construction
 * (the language has no objects, NaN or Infinity), so the result is JSON too.
 * Stops at the first formula that fails and says where it is.
 */
export function renderTemplate(node: TemplateNode, vars: Vars): Rendered {
  switch (node.kind) {
    case "literal":
      return { ok: true, value: node.value };
    case "formula": {
      const result = evaluateSafely(node.formula, vars);
      return result.ok
        ? { ok: true, value: toJsonValue(result.value) }
        : { ...result, path: node.path };
    }
    case "array": {
      const items: JsonValue[] = [];
      for (const item of node.items) {
        const rendered = renderTemplate(item, vars);
        if (!rendered.ok) return rendered;
        items.push(rendered.value);
      }
      return { ok: true, value: items };
    }
    case "object": {
      const entries: [string, JsonValue][] = [];
      for (const [key, item] of node.entries) {
        const rendered = renderTemplate(item, vars);
        if (!rendered.ok) return rendered;
        entries.push([key, rendered.value]);
      }
      return { ok: true, value: Object.fromEntries(entries) };
    }
  }
}
