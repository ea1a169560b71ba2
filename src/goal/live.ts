/**
 * The live channel: WebSockets held by the goal's Durable Object with the
 * hibernation API, so a watched goal's object still sleeps between cycles
 * while its sockets stay open (Server-Sent Events would keep it awake for as
 * long as anyone watched).
 *
 * A browser cannot put a bearer key on a WebSocket, so the API hands out a
 * ticket (`POST /v1/goals/:id/live`, with the key) that opens one socket
 * within a minute, once; only its hash is stored, with the key's id. The
 * socket keeps that id: a socket whose key is revoked is closed (1008) before
 * the next message it would get, and a revoked key's ticket opens nothing
 * (the operator token is not a stored key, and is not checked). After the socket opens the
 * object sends `hello` with the goal's view, then `cycle` after every cycle
 * (with its receipt), `goal` when the goal changes otherwise, and `deleted`
 * before it closes the sockets of a deleted goal. `ping` is answered `pong`
 * by the runtime without waking the object.
 */
import { OPERATOR_KEY_ID } from "../auth/scopes.ts";
import { receiptOut } from "../cycle/index.ts";
import { database } from "../db/client.ts";
import { liveKeyIds } from "../db/keys.ts";
import { describeError, log } from "../observability/log.ts";
import { type Instance, metaOf } from "./instance.ts";
import { readView } from "./storage-reads.ts";
import { type GoalMeta, keys } from "./store.ts";

export const LIVE_LIMITS = {
  /** How long a ticket opens a socket for. */
  ticketTtlMs: 60_000,
  /** Unused tickets kept per goal (the oldest go first). */
  tickets: 32,
  /** Open sockets per goal. */
  sockets: 64,
} as const;

/** What a ticket looks like: 32 random bytes, base64url. */
export const TICKET = /^[A-Za-z0-9_-]{43}$/;

export type LiveMessage =
  | { type: "hello" | "goal"; goal: unknown }
  | { type: "cycle"; receipt: unknown; goal: unknown }
  | { type: "deleted" };

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

async function ticketKey(ticket: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(ticket));
  return keys.liveTicket(base64url(new Uint8Array(digest)));
}

/** A stored ticket: when it expires, and the key that asked for it (a bare number before keys were kept). */
type StoredTicket = { expiresAt: number; keyId: string } | number;

const expiryOf = (stored: StoredTicket) => (typeof stored === "number" ? stored : stored.expiresAt);

/** A new ticket for one socket, for the key `keyId`; expired and surplus tickets are dropped. */
export async function issueTicket(
  storage: DurableObjectStorage,
  now: number,
  keyId: string,
): Promise<{ ticket: string; expiresAt: number }> {
  const ticket = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const expiresAt = now + LIVE_LIMITS.ticketTtlMs;
  const held = [...(await storage.list<StoredTicket>({ prefix: keys.liveTicket("") }))].map(
    ([key, stored]) => [key, expiryOf(stored)] as const,
  );
  const live = held.filter(([, expiry]) => expiry > now).sort((a, b) => a[1] - b[1]);
  const drop = held.filter(([, expiry]) => expiry <= now).map(([key]) => key);
  const surplus = live.length - (LIVE_LIMITS.tickets - 1);
  if (surplus > 0) drop.push(...live.slice(0, surplus).map(([key]) => key));
  if (drop.length > 0) await storage.delete(drop.slice(0, 128));
  const stored: StoredTicket = { expiresAt, keyId };
  await storage.put(await ticketKey(ticket), stored);
  return { ticket, expiresAt };
}

/** The key id a socket was opened with (undefined for one opened before keys were kept). */
function socketKey(socket: WebSocket): string | undefined {
  try {
    const attached = socket.deserializeAttachment() as { keyId?: unknown } | null;
    return typeof attached?.keyId === "string" ? attached.keyId : undefined;
  } catch {
    return undefined;
  }
}

/** Which of these key ids are still live; the operator's always is. */
async function stillLive(env: Env, ids: string[]): Promise<Set<string>> {
  const stored = ids.filter((id) => id !== OPERATOR_KEY_ID);
  const live = await liveKeyIds(database(env), stored);
  if (ids.includes(OPERATOR_KEY_ID)) live.add(OPERATOR_KEY_ID);
  return live;
}

/**
 * Closes (1008) the sockets whose key was revoked since they opened, so they
 * get nothing more. If the keys cannot be read, the sockets are left open
 * (and it is logged): the live channel keeps going while storage is down.
 */
async function dropRevoked(instance: Instance): Promise<void> {
  const sockets = instance.ctx.getWebSockets();
  const ids = [...new Set(sockets.map(socketKey).filter((id) => id !== undefined))];
  if (ids.length === 0) return;
  let live: Set<string>;
  try {
    live = await stillLive(instance.env, ids);
  } catch (error) {
    log("warn", "live_key_check_failed", describeError(error));
    return;
  }
  for (const socket of sockets) {
    const id = socketKey(socket);
    if (id === undefined || live.has(id)) continue;
    try {
      socket.close(1008, "key revoked");
    } catch {
      // already closed
    }
  }
}

const refuse = (status: number, code: string, message: string) =>
  Response.json({ error: { code, message } }, { status });

/**
 * Opens a socket for a request that carries a live ticket: 426 without an
 * upgrade, 401 for a ticket that is unknown, used or expired, 429 when the
 * goal has as many sockets as it keeps. Sends `hello` at once.
 */
export async function openSocket(instance: Instance, request: Request): Promise<Response> {
  const { ctx } = instance;
  if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
    return refuse(426, "UPGRADE_REQUIRED", "open this URL as a WebSocket");
  }
  const ticket = new URL(request.url).searchParams.get("ticket") ?? "";
  const meta = await metaOf(instance);
  const key = TICKET.test(ticket) ? await ticketKey(ticket) : undefined;
  const stored = key === undefined ? undefined : await ctx.storage.get<StoredTicket>(key);
  if (key !== undefined && stored !== undefined) await ctx.storage.delete(key);
  const keyId = typeof stored === "object" ? stored.keyId : undefined;
  const revoked = keyId !== undefined && !(await stillLive(instance.env, [keyId])).has(keyId);
  if (!meta || stored === undefined || expiryOf(stored) <= Date.now() || revoked) {
    return refuse(
      401,
      "UNAUTHENTICATED",
      "the ticket is unknown, used or expired; ask for another",
    );
  }
  if (ctx.getWebSockets().length >= LIVE_LIMITS.sockets) {
    return refuse(429, "RATE_LIMITED", `this goal has ${LIVE_LIMITS.sockets} live sockets open`);
  }
  const hello: LiveMessage = { type: "hello", goal: await readView(ctx.storage, meta) };
  const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
  ctx.acceptWebSocket(server);
  if (keyId !== undefined) server.serializeAttachment({ keyId });
  server.send(JSON.stringify(hello));
  return new Response(null, { status: 101, webSocket: client });
}

/** Sends `message` to every open socket; a socket that fails is closed. Never throws. */
export function broadcast(ctx: DurableObjectState, message: LiveMessage): void {
  const text = JSON.stringify(message);
  for (const socket of ctx.getWebSockets()) {
    try {
      socket.send(text);
    } catch {
      try {
        socket.close(1011, "send failed");
      } catch {
        // already closed
      }
    }
  }
}

/** Whether anyone watches this goal (so a cycle spares the view's reads when no one does). */
export const watched = (ctx: DurableObjectState) => ctx.getWebSockets().length > 0;

/** After a cycle or a fault: its receipt and the goal's view, to whoever watches. */
export async function broadcastCycle(
  instance: Instance,
  meta: GoalMeta,
  receipt: Parameters<typeof receiptOut>[0],
): Promise<void> {
  const { ctx } = instance;
  if (!watched(ctx)) return;
  try {
    await dropRevoked(instance);
    if (!watched(ctx)) return;
    const goal = await readView(ctx.storage, meta);
    broadcast(ctx, { type: "cycle", receipt: receiptOut(receipt), goal });
  } catch (error) {
    log("warn", "live_broadcast_failed", { goal: meta.id, ...describeError(error) });
  }
}

/** After a change that is not a cycle (pause, resume, spec, decision): the goal's view. */
export async function broadcastGoal(instance: Instance, goal: unknown): Promise<void> {
  const { ctx } = instance;
  if (!watched(ctx)) return;
  await dropRevoked(instance);
  if (watched(ctx)) broadcast(ctx, { type: "goal", goal });
}

/** A watcher sent something other than `ping`: its socket is closed (1003). */
export function refuseMessage(socket: WebSocket): void {
  try {
    socket.close(1003, 'send only "ping"');
  } catch {
    // already closed
  }
}

/** The goal was deleted: say so, and close every socket. */
export function closeAll(ctx: DurableObjectState): void {
  broadcast(ctx, { type: "deleted" });
  for (const socket of ctx.getWebSockets()) {
    try {
      socket.close(1000, "goal deleted");
    } catch {
      // already closed
    }
  }
}
