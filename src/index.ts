/**
 * The Worker's entry: the HTTP API and the MCP server over it (fetch), the queue consumers (actions,
 * their dead letters, observations), the self-healing cron (scheduled: goals,
 * expired idempotency keys, record events left unsent), and the goal Durable
 * Object class.
 */
import { handleActions, handleDeadActions } from "./actions/consumer.ts";
import { createApp } from "./api/app.ts";
import { database } from "./db/client.ts";
import { expireIdempotencyRecords } from "./db/idempotency.ts";
import { healGoals } from "./goal/heal.ts";
import { handleObservations } from "./goal/observations-consumer.ts";
import { sendWaitingRecordEvents } from "./goal/record-events.ts";
import { setLogLevel } from "./observability/log.ts";
import { flushMetrics } from "./observability/metrics.ts";
import {
  type ActionMessage,
  consumeBatch,
  type ObservationMessage,
  type QueueConsumers,
} from "./queues.ts";

export { Goal } from "./goal/goal-object.ts";

const app = createApp();

/**
 * `/mcp`: the MCP server, whose tools call this same app with the caller's
 * key (src/mcp/). Loaded on its first request, so an isolate that serves only
 * the API never evaluates the SDK.
 */
async function serveMcp(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
  const { handleMcp } = await import("./mcp/handler.ts");
  return handleMcp(request, env, async (inner) => app.fetch(inner, env, ctx));
}

/** Each queue's consumer (the contract and its names are in queues.ts). */
const consumers: QueueConsumers = {
  actions: handleActions,
  deadActions: handleDeadActions,
  observations: handleObservations,
};

export default {
  fetch(request, env, ctx) {
    setLogLevel(env.LOG_LEVEL);
    if (new URL(request.url).pathname === "/mcp") return serveMcp(request, env, ctx);
    return app.fetch(request, env, ctx);
  },
  async queue(batch, env, ctx) {
    setLogLevel(env.LOG_LEVEL);
    await consumeBatch(batch, env, consumers);
    ctx.waitUntil(flushMetrics(database(env)).catch(() => undefined));
  },
  async scheduled(_controller, env, ctx) {
    setLogLevel(env.LOG_LEVEL);
    ctx.waitUntil(healGoals(env).then(() => undefined));
    ctx.waitUntil(expireIdempotencyRecords(database(env), Date.now()));
    ctx.waitUntil(sendWaitingRecordEvents(env, database(env), Date.now()));
  },
} satisfies ExportedHandler<Env, ActionMessage | ObservationMessage>;
