/**
 * The same tables as `schema.ts`, for MySQL (and MariaDB) reached through
 * Hyperdrive. Columns hold the same values: epoch-ms times are BIGINT, JSON is
 * text that drizzle encodes and decodes as SQLite's JSON columns do (so a
 * compare of a stored spec with a new one compares the same text on both),
 * and every text key is a VARCHAR with a binary collation, so keys compare,
 * sort and collide exactly as they do in SQLite (case matters). Key lengths
 * follow the API's own limits: tenants ≤ 63 characters, formula names ≤ 64,
 * record collections ≤ 128 and keys ≤ 256, Idempotency-Keys ≤ 128 (pushes
 * signed without one use a 67-character digest).
 */
import {
  bigint,
  customType,
  double,
  index,
  int,
  mysqlTable,
  primaryKey,
} from "drizzle-orm/mysql-core";
import type { Chain } from "../cycle/index.ts";

/** Text compared byte for byte (utf8mb4_bin, in MySQL and MariaDB), as SQLite compares it. */
const key = (name: string, length: number) =>
  customType<{ data: string; driverData: string }>({
    dataType: () => `varchar(${length}) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`,
  })(name);

/** Unbounded text (spec, receipts, response bodies); not indexed. */
const long = customType<{ data: string; driverData: string }>({
  dataType: () => "longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin",
});

/** JSON as text, encoded and decoded by drizzle like `text(…, { mode: "json" })` in SQLite. */
const json = <T>(name: string) =>
  customType<{ data: T; driverData: string }>({
    dataType: () => "longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin",
    toDriver: (value) => JSON.stringify(value),
    fromDriver: (value) => JSON.parse(value) as T,
  })(name);

/** Milliseconds since the epoch (and other counts past 2^31). */
const ms = (name: string) => bigint(name, { mode: "number" });

/** Tenant names: `[a-z0-9][a-z0-9_-]{0,62}`. */
const tenant = () => key("tenant", 64);
/** Goal ids: `g_` and 20 hex digits. */
const goalId = (name = "goal_id") => key(name, 64);
/** Action idempotency keys: `goal:cycle:rule:action`. */
const actionKey = () => key("key", 512);

export const apiKeys = mysqlTable(
  "api_keys",
  {
    id: key("id", 64).primaryKey(),
    tenant: tenant().notNull(),
    name: long("name"),
    scopes: json<string[]>("scopes").notNull(),
    hash: key("hash", 128).notNull().unique(),
    prefix: key("prefix", 64).notNull(),
    createdAt: ms("created_at").notNull(),
    revokedAt: ms("revoked_at"),
  },
  (t) => [index("api_keys_tenant").on(t.tenant)],
);

export const formulas = mysqlTable(
  "formulas",
  {
    tenant: tenant().notNull(),
    name: key("name", 64).notNull(),
    currentVersion: int("current_version").notNull(),
    createdAt: ms("created_at").notNull(),
    updatedAt: ms("updated_at").notNull(),
    deletedAt: ms("deleted_at"),
  },
  (t) => [primaryKey({ columns: [t.tenant, t.name] })],
);

export const formulaVersions = mysqlTable(
  "formula_versions",
  {
    tenant: tenant().notNull(),
    name: key("name", 64).notNull(),
    version: int("version").notNull(),
    expr: long("expr").notNull(),
    params: json<unknown[] | null>("params"),
    description: long("description"),
    inputs: json<string[]>("inputs").notNull(),
    deps: json<Record<string, number>>("deps").notNull(),
    createdAt: ms("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenant, t.name, t.version] })],
);

export const goals = mysqlTable(
  "goals",
  {
    id: goalId("id").primaryKey(),
    tenant: tenant().notNull(),
    name: long("name").notNull(),
    spec: json<Record<string, unknown>>("spec").notNull(),
    specVersion: int("spec_version").notNull(),
    status: key("status", 16).notNull(),
    parentId: goalId("parent_id"),
    parentAction: long("parent_action"),
    parentKey: long("parent_key"),
    createdAt: ms("created_at").notNull(),
    updatedAt: ms("updated_at").notNull(),
  },
  (t) => [index("goals_tenant").on(t.tenant, t.createdAt), index("goals_status").on(t.status)],
);

export const goalSubscriptions = mysqlTable(
  "goal_subscriptions",
  {
    tenant: tenant().notNull(),
    kind: key("kind", 16).notNull(),
    /** `collection/key` (≤ 385 characters), a topic or a goal id (≤ 128). */
    target: key("target", 400).notNull(),
    goalId: goalId().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenant, t.kind, t.target, t.goalId] }),
    index("goal_subscriptions_goal").on(t.goalId),
  ],
);

export const records = mysqlTable(
  "records",
  {
    tenant: tenant().notNull(),
    collection: key("collection", 128).notNull(),
    key: key("key", 256).notNull(),
    value: json<unknown>("value").notNull(),
    version: int("version").notNull(),
    updatedAt: ms("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenant, t.collection, t.key] })],
);

export const recordEvents = mysqlTable("record_events", {
  id: bigint("id", { mode: "number" }).primaryKey().autoincrement(),
  tenant: tenant().notNull(),
  collection: key("collection", 128).notNull(),
  key: key("key", 256).notNull(),
  value: json<unknown>("value"),
  version: int("version").notNull(),
  at: ms("at").notNull(),
  chain: json<Chain>("chain"),
});

export const cycles = mysqlTable(
  "cycles",
  {
    tenant: tenant().notNull(),
    goalId: goalId().notNull(),
    cycle: int("cycle").notNull(),
    at: ms("at").notNull(),
    receipt: json<Record<string, unknown>>("receipt").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.goalId, t.cycle] }),
    index("cycles_tenant").on(t.tenant, t.goalId),
  ],
);

export const actionRuns = mysqlTable("action_runs", {
  key: actionKey().primaryKey(),
  tenant: tenant().notNull(),
  goalId: goalId().notNull(),
  result: json<Record<string, unknown>>("result").notNull(),
  at: ms("at").notNull(),
});

export const actionClaims = mysqlTable("action_claims", {
  key: actionKey().primaryKey(),
  token: key("token", 128).notNull(),
  until: ms("until").notNull(),
});

export const metricCounts = mysqlTable(
  "metric_counts",
  {
    tenant: tenant().notNull(),
    name: key("name", 128).notNull(),
    minute: ms("minute").notNull(),
    value: double("value").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenant, t.name, t.minute] })],
);

export const metricTotals = mysqlTable(
  "metric_totals",
  {
    tenant: tenant().notNull(),
    /** `family|label=value|…`. */
    series: key("series", 255).notNull(),
    goal: goalId("goal").notNull(),
    value: double("value").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenant, t.series, t.goal] })],
);

export const goalSecrets = mysqlTable("goal_secrets", {
  goalId: goalId().primaryKey(),
  tenant: tenant().notNull(),
  signingSecret: long("signing_secret").notNull(),
  previousSigningSecret: long("previous_signing_secret"),
  previousUntil: ms("previous_until"),
  ingestSecret: long("ingest_secret").notNull(),
  updatedAt: ms("updated_at").notNull(),
});

export const idempotentRequests = mysqlTable(
  "idempotent_requests",
  {
    tenant: tenant().notNull(),
    key: key("key", 255).notNull(),
    fingerprint: key("fingerprint", 128).notNull(),
    status: int("status"),
    contentType: long("content_type"),
    body: long("body"),
    createdAt: ms("created_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenant, t.key] }),
    index("idempotent_requests_age").on(t.createdAt),
  ],
);

export const approvals = mysqlTable(
  "approvals",
  {
    key: actionKey().primaryKey(),
    tenant: tenant().notNull(),
    goalId: goalId().notNull(),
    action: long("action").notNull(),
    rule: long("rule").notNull(),
    cycle: int("cycle").notNull(),
    kind: key("kind", 16).notNull(),
    payload: json<unknown>("payload").notNull(),
    status: key("status", 16).notNull(),
    requestedAt: ms("requested_at").notNull(),
    expiresAt: ms("expires_at").notNull(),
    decidedAt: ms("decided_at"),
    decidedBy: json<{ key_id: string; name: string | null } | null>("decided_by"),
    reason: long("reason"),
  },
  (t) => [
    index("approvals_inbox").on(t.tenant, t.status, t.requestedAt),
    index("approvals_goal").on(t.goalId),
  ],
);
