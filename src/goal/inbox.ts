/**
 * Arrivals filed in a goal's inbox, as its Durable Object takes them:
 * pushed observations and payloads (their idempotency key answered, the soft
 * bounds kept), actions' results (always taken), outside events (up to the
 * hard bound), each filed with its cycle started at once. A cycle takes them
 * out again in `cycle-step.ts`.
 */
import type { ActResult, Observation, Trigger } from "../cycle/index.ts";
import type { GoalEvent, RecordEvent, StreamEvent } from "../queues.ts";
import { jsonBytes } from "../spec/index.ts";
import { logNotRun } from "./cycle-record.ts";
import { type Instance, wakeSoon } from "./instance.ts";
import { ARRIVAL_GRACE_MS } from "./pass.ts";
import { readPayload } from "./push-payload.ts";
import { checkPushKey, type IgnoredName, type PushOutcome } from "./storage-reads.ts";
import { type GoalMeta, INBOX_LIMITS, type InboxItem, keys, metaWrites } from "./store.ts";
import { observationsFor } from "./subscriptions.ts";

/** A push's idempotency key, and a hash of its body. */
type Idempotency = { key: string; fingerprint: string };

/**
 * Files an arrival for the next cycle (with `extra` writes in the same put)
 * and starts that cycle at once, or right after the one under way. The
 * alarm, armed in the same commit, is the safety net should the object
 * restart first; a goal backing off after failures takes it on its retry.
 */
export async function enqueue(
  instance: Instance,
  meta: GoalMeta,
  item: InboxItem,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const { ctx } = instance;
  const seq = meta.nextSeq;
  meta.nextSeq += 1;
  meta.inboxItems += 1;
  meta.inboxBytes += item.bytes;
  await ctx.storage.put({ [keys.inbox(seq)]: item, ...metaWrites(meta, false), ...extra });
  instance.inboxMaybe = true;
  if (meta.status !== "active" || meta.failures > 0) return;
  await wakeSoon(ctx.storage, ARRIVAL_GRACE_MS);
  const run = instance.serial.soon();
  if (run) ctx.waitUntil(run.catch((error) => logNotRun(meta, error)));
}

/**
 * Whether the inbox has room for `bytes` more: pushes stop at the soft
 * bounds; what the goal's own actions and outside events bring, only at
 * the hard one.
 */
function inboxFull(meta: GoalMeta, bytes: number, soft: boolean): boolean {
  if (!soft) return meta.inboxBytes + bytes > INBOX_LIMITS.hardBytes;
  return meta.inboxItems + 1 > INBOX_LIMITS.items || meta.inboxBytes + bytes > INBOX_LIMITS.bytes;
}

/**
 * Pushed (or signalled) observations of the names the goal observes; others
 * are answered as ignored, and a push with none of its names is not taken at
 * all. A repeated idempotency key is not counted twice; the same key with
 * another body (`fingerprint`) is refused; a full inbox refuses pushes.
 */
export async function takeObservations(
  instance: Instance,
  meta: GoalMeta,
  observations: Observation[],
  trigger: Trigger,
  idempotency: Idempotency | undefined,
): Promise<PushOutcome> {
  const declared = new Set(Object.keys(meta.spec.observe));
  const taken = observations.filter((o) => declared.has(o.name));
  const ignored: IgnoredName[] = [...new Set(observations.map((o) => o.name))]
    .filter((name) => !declared.has(name))
    .map((name) => ({ name, reason: "this goal does not observe it" }));
  if (taken.length === 0) return { none: ignored, observed: [...declared].sort() };
  return takePush(instance, meta, taken, ignored, trigger, idempotency);
}

/**
 * A payload pushed as it is: each push source reads its value from it (see
 * `readPayload`), under this spec version, observed at `at`. When no source
 * finds a value, nothing is taken and each source says why.
 */
export async function takePayload(
  instance: Instance,
  meta: GoalMeta,
  payload: unknown,
  at: number,
  idempotency: Idempotency | undefined,
): Promise<PushOutcome> {
  const { taken, ignored } = readPayload(meta.spec, payload, at);
  if (taken.length === 0) {
    return { none: ignored, observed: Object.keys(meta.spec.observe).sort(), payload: true };
  }
  return takePush(instance, meta, taken, ignored, "push", idempotency);
}

/** Takes observations into the inbox, unless the key says they were taken already or it is full. */
async function takePush(
  instance: Instance,
  meta: GoalMeta,
  taken: Observation[],
  ignored: IgnoredName[],
  trigger: Trigger,
  idempotency: Idempotency | undefined,
): Promise<PushOutcome> {
  const now = Date.now();
  const answer = { accepted: taken.length, ignored };
  const checked = await checkPushKey(instance.ctx.storage, idempotency, answer, now);
  if ("answer" in checked) return checked.answer;
  const item: InboxItem = {
    kind: "observations",
    trigger,
    observations: taken,
    at: now,
    bytes: jsonBytes(taken),
  };
  if (inboxFull(meta, item.bytes, trigger === "push")) {
    const { inboxItems: items, inboxBytes: bytes, status } = meta;
    const limits = { max_items: INBOX_LIMITS.items, max_bytes: INBOX_LIMITS.bytes };
    return { full: { items, bytes, ...limits, status } };
  }
  await enqueue(instance, meta, item, checked.remember);
  return { ...answer, duplicate: false };
}

/** An action's outcome: always taken. */
export async function takeActResult(
  instance: Instance,
  meta: GoalMeta,
  result: ActResult,
): Promise<void> {
  await enqueue(instance, meta, {
    kind: "act_result",
    result,
    at: Date.now(),
    bytes: jsonBytes(result),
  });
}

/** Actions that could not be queued come back as their results, so the goal sees they failed. */
export async function givenUp(
  instance: Instance,
  meta: GoalMeta,
  results: ActResult[],
): Promise<void> {
  for (const result of results) await takeActResult(instance, meta, result);
}

/**
 * A record change, stream event or goal update this goal may watch: the
 * number of observations it made. Throws when the inbox is full to its hard
 * bound, so the queue delivers it again later.
 */
export async function takeEvent(
  instance: Instance,
  meta: GoalMeta,
  event: RecordEvent | StreamEvent | GoalEvent,
  goalView: unknown,
): Promise<number> {
  const observations = observationsFor(meta.spec, event, goalView);
  if (observations.length === 0) return 0;
  const trigger: Trigger = event.type === "goal" ? "signal" : event.type;
  const bytes = jsonBytes(observations);
  if (inboxFull(meta, bytes, false)) throw new Error(`goal ${meta.id}: inbox full`);
  await enqueue(instance, meta, {
    kind: "observations",
    trigger,
    observations,
    at: Date.now(),
    bytes,
  });
  return observations.length;
}
