/**
 * The shapes the dashboard reads from the API, as the API writes them (times
 * as ISO strings). Only the fields the pages use; see src/cycle/receipt.ts
 * and src/api/goal-schemas.ts in the service for every field.
 */

/** Policy `model`, as the receipt records it: no times in it, so the service's own type is the JSON's. */
import type { ModelDecision } from "../../src/cycle/receipt.ts";

export type { ModelDecision };

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface Verdict {
  rule: string;
  status: string;
  reason: string;
  values?: Record<string, Json>;
  code?: string;
  guard?: string;
  score?: number;
}

export interface PlannedAction {
  kind: string;
  payload: Json;
  action: string;
  rule: string;
  key: string;
  dry_run: boolean;
  awaiting_approval: boolean;
}

export interface ActResult {
  action: string;
  key: string;
  status: string;
  attempt: number;
  at: string;
  http_status?: number;
  error?: string;
  value?: Json;
}

export interface DecisionEntry {
  action: string;
  key: string;
  rule: string;
  decision: string;
  by: { key_id: string; name: string | null } | null;
  reason: string | null;
  at: string;
}

export interface ObservedEntry {
  value: Json;
  at: string;
  source: string;
}

/** One cycle's receipt, or a fault receipt (`fault` set, most other fields absent). */
export interface Receipt {
  goal_id: string;
  cycle: number;
  at: string;
  trigger?: string;
  missed?: number;
  spec_version?: number;
  observed?: Record<string, ObservedEntry[]>;
  act_results?: ActResult[];
  decisions?: DecisionEntry[];
  ignored?: { name: string; reason: string }[];
  stale?: string[];
  oriented?: Record<string, Json>;
  verdicts?: Verdict[];
  actions?: PlannedAction[];
  expectations?: { action: string; status: string; reason: string }[];
  done?: boolean;
  quiet?: boolean;
  duration_ms?: number;
  fault?: { retry_at: string; message?: string; [key: string]: Json | undefined };
  /** Policy `model`: what the model was asked and answered, and what came of it. */
  model?: ModelDecision;
}

export interface AwaitingApproval {
  action: string;
  key: string;
  rule: string;
  cycle: number;
  requested_at: string;
  expires_at: string;
}

/** The live part of a goal (`GET /v1/goals/:id` without the spec; the live channel's VIEW). */
export interface GoalView {
  id: string;
  name: string;
  status: string;
  spec_version: number;
  parent_id: string | null;
  created_at: string;
  cycle: number;
  last_cycle_at: string | null;
  next_wake_at: string | null;
  latest: Record<string, { value: Json; at: string }>;
  oriented: Record<string, Json>;
  verdicts: Verdict[];
  failures: number;
  last_fault: { at: string; message: string } | null;
  awaiting_approval: AwaitingApproval[];
  every?: string;
  actions_last_hour?: number;
}

export interface GoalDetail extends GoalView {
  spec: Record<string, Json>;
}

/** `GET /v1/goals?include=live`: a goal and what its object said of its loop. */
export interface GoalSummary {
  id: string;
  name: string;
  status: string;
  spec_version: number;
  created_at: string;
  updated_at: string;
  live?: {
    every: string;
    cycle: number;
    last_cycle_at: string | null;
    next_wake_at: string | null;
    failures: number;
    last_fault: { at: string; message: string } | null;
    awaiting_approval: number;
    actions_last_hour: number;
    last_outcome: { trigger: string; matched: string[]; actions: number; fault: boolean } | null;
  } | null;
}

export interface Approval {
  goal_id: string;
  key: string;
  action: string;
  rule: string;
  cycle: number;
  kind: string;
  payload: Json;
  status: string;
  requested_at: string;
  expires_at: string;
  decided_at: string | null;
  reason: string | null;
}
