/**
 * The durable data in D1. Every table carries its tenant: a row is only ever
 * read through a query that names the caller's tenant.
 */
import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { Chain } from "../cycle/index.ts";

/** API keys. The key itself is never stored, only its SHA-256 hash. */
export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    tenant: text("tenant").notNull(),
    name: text("name"),
    /** JSON array of scope names. */
    scopes: text("scopes", { mode: "json" }).$type<string[]>().notNull(),
    hash: text("hash").notNull().unique(),
    /** The first characters of the key, so an operator can tell keys apart. */
    prefix: text("prefix").notNull(),
    createdAt: integer("created_at").notNull(),
    revokedAt: integer("revoked_at"),
  },
  (t) => [index("api_keys_tenant").on(t.tenant)],
);

/** The head of each formula: its current version. Deleting keeps the versions. */
export const formulas = sqliteTable(
  "formulas",
  {
    tenant: text("tenant").notNull(),
    name: text("name").notNull(),
    currentVersion: integer("current_version").notNull(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    /** Set when deleted; a later PUT revives the name with the next version number. */
    deletedAt: integer("deleted_at"),
  },
  (t) => [primaryKey({ columns: [t.tenant, t.name] })],
);

/**
 * Immutable formula versions. Numbers never repeat for a (tenant, name), even
 * across a delete, so a version (and its ETag and cache entry) means one thing forever.
 */
export const formulaVersions = sqliteTable(
  "formula_versions",
  {
    tenant: text("tenant").notNull(),
    name: text("name").notNull(),
    version: integer("version").notNull(),
    expr: text("expr").notNull(),
    /** JSON array of ParamSpec, or null when inputs were not declared. */
    params: text("params", { mode: "json" }).$type<unknown[] | null>(),
    description: text("description"),
    /** Names read by the expression (inferred when params are not declared). */
    inputs: text("inputs", { mode: "json" }).$type<string[]>().notNull(),
    /** fn.NAME calls pinned at registration: { name: version }. */
    deps: text("deps", { mode: "json" }).$type<Record<string, number>>().notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenant, t.name, t.version] })],
);

export type ApiKeyRow = typeof apiKeys.$inferSelect;
export type FormulaRow = typeof formulas.$inferSelect;
export type FormulaVersionRow = typeof formulaVersions.$inferSelect;

/** The goal registry. The live loop state is in each goal's Durable Object. */
export const goals = sqliteTable(
  "goals",
  {
    id: text("id").primaryKey(),
    tenant: text("tenant").notNull(),
    name: text("name").notNull(),
    /** The current spec as registered (JSON). */
    spec: text("spec", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    specVersion: integer("spec_version").notNull(),
    /** active | paused | done | failed */
    status: text("status").notNull(),
    /** The goal that spawned this one, if any. */
    parentId: text("parent_id"),
    /**
     * The parent's spawn action and its key: where the goal reports its end.
     * With them the row holds all its object needs to be started (or started
     * again after a crash left it unstarted). Null for goals not spawned, and
     * for those spawned before these columns existed.
     */
    parentAction: text("parent_action"),
    parentKey: text("parent_key"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("goals_tenant").on(t.tenant, t.createdAt), index("goals_status").on(t.status)],
);

/**
 * What each goal observes outside itself (record collections and keys, stream
 * topics, other goals), so a change fans out only to the goals that watch it.
 */
export const goalSubscriptions = sqliteTable(
  "goal_subscriptions",
  {
    tenant: text("tenant").notNull(),
    /** record | stream | goal */
    kind: text("kind").notNull(),
    /** `collection` or `collection/key` for records, the topic, or the watched goal id. */
    target: text("target").notNull(),
    goalId: text("goal_id").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenant, t.kind, t.target, t.goalId] }),
    index("goal_subscriptions_goal").on(t.goalId),
  ],
);

/** Small JSON documents, readable by goals and written by their actions. */
export const records = sqliteTable(
  "records",
  {
    tenant: text("tenant").notNull(),
    collection: text("collection").notNull(),
    key: text("key").notNull(),
    value: text("value", { mode: "json" }).$type<unknown>().notNull(),
    version: integer("version").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenant, t.collection, t.key] })],
);

/**
 * The outbox of record changes. Each change writes its event here in the same
 * D1 batch as the record; the event leaves once it is on the OBSERVATIONS
 * queue, and what a failed send or a crash left behind is sent by the cron.
 * So a change is never stored without its watchers hearing of it.
 */
export const recordEvents = sqliteTable("record_events", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  tenant: text("tenant").notNull(),
  collection: text("collection").notNull(),
  key: text("key").notNull(),
  /** The new value; null when the record was deleted. */
  value: text("value", { mode: "json" }).$type<unknown>(),
  /** The record's version after the change; 0 when it was deleted. */
  version: integer("version").notNull(),
  at: integer("at").notNull(),
  /** The chain of the action that wrote the record, if one did. */
  chain: text("chain", { mode: "json" }).$type<Chain>(),
});

/** Receipts of cycles that decided something new or acted (quiet cycles stay in the goal). */
export const cycles = sqliteTable(
  "cycles",
  {
    tenant: text("tenant").notNull(),
    goalId: text("goal_id").notNull(),
    cycle: integer("cycle").notNull(),
    at: integer("at").notNull(),
    receipt: text("receipt", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.goalId, t.cycle] }),
    index("cycles_tenant").on(t.tenant, t.goalId),
  ],
);

export type GoalRow = typeof goals.$inferSelect;
export type RecordRow = typeof records.$inferSelect;
export type RecordEventRow = typeof recordEvents.$inferSelect;

/**
 * One row per action idempotency key that has reached a final outcome, so a
 * duplicate queue delivery re-reports the outcome instead of acting again.
 */
export const actionRuns = sqliteTable("action_runs", {
  key: text("key").primaryKey(),
  tenant: text("tenant").notNull(),
  goalId: text("goal_id").notNull(),
  /** The ActResult that was reported (JSON). */
  result: text("result", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  at: integer("at").notNull(),
});

/**
 * An action some delivery is running now, by idempotency key, until `until`
 * (ms): a duplicate delivered meanwhile waits instead of acting a second time.
 */
export const actionClaims = sqliteTable("action_claims", {
  key: text("key").primaryKey(),
  /** Which delivery holds it (only the holder releases it). */
  token: text("token").notNull(),
  until: integer("until").notNull(),
});

/** Per-tenant counters by minute: the service's own metrics, readable by goals. */
export const metricCounts = sqliteTable(
  "metric_counts",
  {
    tenant: text("tenant").notNull(),
    name: text("name").notNull(),
    /** Minutes since the epoch. */
    minute: integer("minute").notNull(),
    value: real("value").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenant, t.name, t.minute] })],
);

/**
 * Per-tenant running totals, one row per series, added to and never set: the
 * counters and histogram buckets of /v1/metrics in the Prometheus form. A
 * series names its family and labels (`faas_http_requests_total|status_class=2xx`);
 * `goal` is the goal it counts for, "" for none.
 */
export const metricTotals = sqliteTable(
  "metric_totals",
  {
    tenant: text("tenant").notNull(),
    series: text("series").notNull(),
    goal: text("goal").notNull(),
    value: real("value").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenant, t.series, t.goal] })],
);

/**
 * A goal's secrets, apart from the registry so no list or read of goals ever
 * loads them. The signing secret signs outbound webhooks (kept in the clear:
 * an HMAC needs it); after a rotation the previous one still signs, as a second
 * signature, until `previousUntil`. The ingest secret authenticates inbound
 * observations sent without an API key (bearer token or HMAC key).
 */
export const goalSecrets = sqliteTable("goal_secrets", {
  goalId: text("goal_id").primaryKey(),
  tenant: text("tenant").notNull(),
  signingSecret: text("signing_secret").notNull(),
  previousSigningSecret: text("previous_signing_secret"),
  previousUntil: integer("previous_until"),
  ingestSecret: text("ingest_secret").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

export type GoalSecretsRow = typeof goalSecrets.$inferSelect;

/**
 * The first response to each mutating request sent with an `Idempotency-Key`,
 * per tenant and key, so a repeat returns it and changes nothing. `status` is
 * null while the first request is still running.
 */
export const idempotentRequests = sqliteTable(
  "idempotent_requests",
  {
    tenant: text("tenant").notNull(),
    key: text("key").notNull(),
    /** SHA-256 of method, path and body: the same key with another request is refused. */
    fingerprint: text("fingerprint").notNull(),
    status: integer("status"),
    contentType: text("content_type"),
    body: text("body"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenant, t.key] }),
    index("idempotent_requests_age").on(t.createdAt),
  ],
);

/**
 * Actions held for a person's approval, copied from each goal's own storage
 * (which decides) so a tenant's inbox of approvals is one query. Upserted
 * when an approval is asked for and when it is decided or expires.
 */
export const approvals = sqliteTable(
  "approvals",
  {
    key: text("key").primaryKey(),
    tenant: text("tenant").notNull(),
    goalId: text("goal_id").notNull(),
    action: text("action").notNull(),
    rule: text("rule").notNull(),
    cycle: integer("cycle").notNull(),
    /** webhook | formula | record | signal | spawn */
    kind: text("kind").notNull(),
    /** The action's payload as planned (JSON). */
    payload: text("payload", { mode: "json" }).$type<unknown>().notNull(),
    /** pending | approved | rejected | expired */
    status: text("status").notNull(),
    requestedAt: integer("requested_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    decidedAt: integer("decided_at"),
    /** `{key_id, name}` of the API key that decided (JSON), or null. */
    decidedBy: text("decided_by", { mode: "json" }).$type<{
      key_id: string;
      name: string | null;
    } | null>(),
    reason: text("reason"),
  },
  (t) => [
    index("approvals_inbox").on(t.tenant, t.status, t.requestedAt),
    index("approvals_goal").on(t.goalId),
  ],
);

export type ApprovalRow = typeof approvals.$inferSelect;
