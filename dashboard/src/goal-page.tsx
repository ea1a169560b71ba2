/**
 * A goal's page, live: its state and controls, the chart of its numbers,
 * the timeline of cycles, and the "why" panel of a chosen cycle. Cycles
 * arrive over the goal's live channel and are added without a reload.
 */
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, api, can, type Me } from "./api.ts";
import { Chart } from "./chart.tsx";
import { DeleteGoal } from "./delete-goal.tsx";
import { relative, short } from "./format.ts";
import { useLoad, useNow } from "./hooks.ts";
import { type LiveMessage, type LiveState, useLive } from "./live.ts";
import { HISTORY, merge, pick } from "./receipts.ts";
import { Timeline } from "./timeline.tsx";
import type { GoalDetail, GoalView, Receipt } from "./types.ts";
import { Badge, ErrorBox, GoalName, Section, viewState } from "./ui.tsx";
import { WhyPanel } from "./why.tsx";

function LiveBadge({ state, now }: { state: LiveState; now: number }) {
  const text =
    state.kind === "live"
      ? "live"
      : state.kind === "connecting"
        ? "connecting…"
        : state.kind === "retrying"
          ? `offline: ${state.why}; retrying ${relative(new Date(state.at).toISOString(), now)}`
          : `not live: ${state.why}; reading every 5 s`;
  return (
    <output class={`live live-${state.kind}`} aria-live="polite" data-live={state.kind}>
      <span class="dot" aria-hidden="true" />
      {text}
    </output>
  );
}

export function GoalPage({ me, id, cycle }: { me: Me; id: string; cycle: number | undefined }) {
  const now = useNow();
  const goal = useLoad(() => api<GoalDetail>("GET", `/v1/goals/${id}`), [id]);
  const [view, setView] = useState<GoalView>();
  const [receipts, setReceipts] = useState<Receipt[]>([]);
  const [receiptsError, setReceiptsError] = useState<ApiError>();
  const [deleted, setDeleted] = useState(false);
  const [actionError, setActionError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const why = useRef<HTMLDivElement>(null);

  useEffect(() => {
    setReceipts([]);
    setView(undefined);
    api<{ cycles: Receipt[] }>("GET", `/v1/goals/${id}/cycles?limit=${HISTORY}`)
      .then((page) => setReceipts((now) => merge(page.cycles, now)))
      .catch((e: unknown) => setReceiptsError(e instanceof ApiError ? e : undefined));
  }, [id]);

  const live = useLive(id, (message: LiveMessage) => {
    if (message.type === "deleted") {
      setDeleted(true);
      return;
    }
    setView(message.goal);
    if (message.type === "cycle") setReceipts((now) => merge(now, [message.receipt]));
  });

  // After the live channel reconnects, fetch what it may have missed.
  const since = live.kind === "live" ? live.since : 0;
  useEffect(() => {
    if (since === 0) return;
    api<{ cycles: Receipt[] }>("GET", `/v1/goals/${id}/cycles?limit=${HISTORY}`)
      .then((page) => setReceipts((now) => merge(now, page.cycles)))
      .catch(() => undefined);
  }, [since, id]);

  // A chosen cycle older than the timeline holds is read on its own.
  const [older, setOlder] = useState<Receipt>();
  const loaded = receipts.length > 0;
  const missing = cycle !== undefined && loaded && pick(receipts, cycle) === undefined;
  useEffect(() => {
    setOlder(undefined);
    if (!missing || cycle === undefined) return;
    api<{ cycles: Receipt[] }>("GET", `/v1/goals/${id}/cycles?after=${cycle - 1}&limit=1`)
      .then((page) => setOlder(pick(page.cycles, cycle)))
      .catch(() => undefined);
  }, [missing, cycle, id]);

  // On a phone the why panel is below the timeline: bring it into view when a cycle is chosen.
  useEffect(() => {
    if (cycle !== undefined && matchMedia("(max-width: 720px)").matches) {
      why.current?.scrollIntoView({ block: "start" });
    }
  }, [cycle]);

  // While the live channel is down, read the cycles and the goal every 5 s instead.
  const down = live.kind === "closed" || live.kind === "retrying";
  const reloadGoal = goal.reload;
  useEffect(() => {
    if (!down || deleted) return;
    const timer = setInterval(() => {
      void reloadGoal().then(() => setView(undefined));
      api<{ cycles: Receipt[] }>("GET", `/v1/goals/${id}/cycles?limit=${HISTORY}`)
        .then((page) => setReceipts((now) => merge(now, page.cycles)))
        .catch(() => undefined);
    }, 5000);
    return () => clearInterval(timer);
  }, [down, deleted, id, reloadGoal]);

  if (goal.error && !goal.data) {
    return (
      <>
        <p>
          <a href="#/goals">← Goals</a>
        </p>
        <ErrorBox error={goal.error} title={`Could not load goal ${id}`} />
      </>
    );
  }
  if (!goal.data) return <p class="boot">Loading the goal…</p>;
  const detail = goal.data;
  const current: GoalView = view ?? detail;
  const state = viewState(current);
  const write = can(me, "goals:write");

  const control = async (verb: "pause" | "resume") => {
    setBusy(true);
    setActionError(undefined);
    try {
      await api("POST", `/v1/goals/${id}/${verb}`);
      await goal.reload();
      setView(undefined);
    } catch (e) {
      if (e instanceof ApiError) setActionError(e);
    } finally {
      setBusy(false);
    }
  };
  const chosen = cycle === undefined ? undefined : (pick(receipts, cycle) ?? older);

  return (
    <>
      <p class="crumbs">
        <a href="#/goals">← Goals</a>
      </p>
      <div class="page-head">
        <div>
          <h1>
            <GoalName name={current.name} id={id} /> <Badge value={state} />
          </h1>
          <p class="muted mono small">
            {id} · spec v{current.spec_version}
            {current.every ? ` · every ${current.every}` : ""}
          </p>
        </div>
        <LiveBadge state={live} now={now} />
      </div>
      {deleted && (
        <p class="notice" role="alert">
          This goal was deleted.
        </p>
      )}
      <div class="toolbar">
        {write && current.status === "active" && (
          <button type="button" disabled={busy} onClick={() => void control("pause")}>
            Pause
          </button>
        )}
        {write && current.status === "paused" && (
          <button type="button" disabled={busy} onClick={() => void control("resume")}>
            Resume
          </button>
        )}
        <a class="button secondary" href={`#/goals/${id}/what-if`}>
          What if…
        </a>
        {write && <DeleteGoal id={id} name={current.name} onError={setActionError} />}
      </div>
      <ErrorBox error={actionError} />

      <div class="facts">
        <Fact label="Last cycle">
          {current.cycle > 0 ? `#${current.cycle} ${relative(current.last_cycle_at, now)}` : "none"}
        </Fact>
        <Fact label="Next wake-up">{relative(current.next_wake_at, now)}</Fact>
        <Fact label="Actions (1 h)">{current.actions_last_hour ?? "—"}</Fact>
        <Fact label="Failures">
          {current.failures}
          {current.last_fault && <span class="muted"> · {current.last_fault.message}</span>}
        </Fact>
        {Object.entries(current.latest).map(([name, entry]) => (
          <Fact key={`obs-${name}`} label={name}>
            {short(entry.value)} <span class="muted small">{relative(entry.at, now)}</span>
          </Fact>
        ))}
        {Object.entries(current.oriented).map(([name, value]) => (
          <Fact key={`or-${name}`} label={`${name} (oriented)`}>
            {short(value as never)}
          </Fact>
        ))}
      </div>

      {current.awaiting_approval.length > 0 && (
        <p class="notice">
          {current.awaiting_approval.length} action
          {current.awaiting_approval.length > 1 ? "s await" : " awaits"} approval:{" "}
          {current.awaiting_approval.map((a) => a.action).join(", ")}.{" "}
          <a href="#/approvals">Open the approvals inbox</a>
        </p>
      )}

      <Section title="Numbers over time">
        <Chart receipts={receipts} />
      </Section>

      <div class="split">
        <Timeline receipts={receipts} id={id} chosen={chosen} error={receiptsError} />
        <div class="why-column" ref={why}>
          {chosen ? (
            <WhyPanel goalId={id} receipt={chosen} later={receipts} />
          ) : (
            <Section title="Why">
              <p class="muted">Choose a cycle in the timeline to see why it did what it did.</p>
            </Section>
          )}
        </div>
      </div>
    </>
  );
}

function Fact({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="fact">
      <div class="fact-label">{label}</div>
      <div class="fact-value">{children}</div>
    </div>
  );
}
