/**
 * The MCP tools, each one /v1 route (see tool-kit.ts for what a tool is):
 * 16 in all, in the order `tools/list` shows them.
 */
import { FORMULA_TOOLS } from "./formula-tools.ts";
import { GOAL_TOOLS } from "./goal-tools.ts";
import { LOOP_TOOLS } from "./loop-tools.ts";
import type { ToolDefinition } from "./tool-kit.ts";

export type { ApiRequest, ToolDefinition } from "./tool-kit.ts";

export const TOOLS: readonly ToolDefinition[] = [...FORMULA_TOOLS, ...GOAL_TOOLS, ...LOOP_TOOLS];
