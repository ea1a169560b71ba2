/**
 * The live channel of one goal: a WebSocket from the goal's Durable Object,
 * which hibernates, so a watched goal costs nothing between cycles. A
 * browser cannot put a bearer token on a WebSocket, so each connection
 * starts with a one-use ticket fetched with the key (`POST
 * /v1/goals/:id/live`); the socket URL carries the ticket, never the key.
 * A dropped connection is opened again with a new ticket, after 1 s, 2 s,
 * 4 s… up to 30 s.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, api } from "./api.ts";
import type { GoalView, Receipt } from "./types.ts";

export type LiveMessage =
  | { type: "hello"; goal: GoalView }
  | { type: "cycle"; receipt: Receipt; goal: GoalView }
  | { type: "goal"; goal: GoalView }
  | { type: "deleted" };

export type LiveState =
  | { kind: "connecting" }
  | { kind: "live"; since: number }
  | { kind: "retrying"; at: number; attempt: number; why: string }
  | { kind: "closed"; why: string };

const PING_MS = 30_000;
const MAX_BACKOFF_MS = 30_000;

export function useLive(goalId: string, onMessage: (message: LiveMessage) => void): LiveState {
  const [state, setState] = useState<LiveState>({ kind: "connecting" });
  const handler = useRef(onMessage);
  handler.current = onMessage;

  useEffect(() => {
    let socket: WebSocket | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let ping: ReturnType<typeof setInterval> | undefined;
    let attempt = 0;
    let stopped = false;

    const again = (why: string) => {
      if (stopped) return;
      const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** attempt);
      attempt++;
      setState({ kind: "retrying", at: Date.now() + delay, attempt, why });
      retry = setTimeout(() => void connect(), delay);
    };

    const connect = async () => {
      setState({ kind: "connecting" });
      let url: string;
      try {
        ({ url } = await api<{ url: string }>("POST", `/v1/goals/${goalId}/live`));
      } catch (e) {
        if (e instanceof ApiError && (e.status === 404 || e.status === 403 || e.status === 401)) {
          setState({ kind: "closed", why: e.message });
          return;
        }
        again(e instanceof Error ? e.message : String(e));
        return;
      }
      if (stopped) return;
      const origin = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}`;
      const ws = new WebSocket(new URL(url, origin).toString());
      socket = ws;
      ws.onopen = () => {
        attempt = 0;
        setState({ kind: "live", since: Date.now() });
        ping = setInterval(() => ws.readyState === WebSocket.OPEN && ws.send("ping"), PING_MS);
      };
      ws.onmessage = (event) => {
        if (typeof event.data !== "string" || event.data === "pong") return;
        let message: LiveMessage;
        try {
          message = JSON.parse(event.data) as LiveMessage;
        } catch {
          return;
        }
        handler.current(message);
        if (message.type === "deleted") {
          stopped = true;
          setState({ kind: "closed", why: "the goal was deleted" });
        }
      };
      ws.onclose = (event) => {
        clearInterval(ping);
        if (socket !== ws || stopped) return;
        again(event.code === 1000 ? "closed by the service" : `connection lost (${event.code})`);
      };
    };

    void connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      clearInterval(ping);
      socket?.close(1000);
    };
  }, [goalId]);

  return state;
}
