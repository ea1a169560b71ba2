/**
 * The approvals inbox: every action held for a person across the tenant's
 * goals, with the request it will send, the rule and the values that asked
 * for it (from that cycle's receipt) and the time left before it expires.
 */
import { useEffect, useState } from "preact/hooks";
import { ApiError, api, can, type Me } from "./api.ts";
import { short, span, when } from "./format.ts";
import { useLoad, useNow } from "./hooks.ts";
import type { Approval, GoalSummary, Receipt, Verdict } from "./types.ts";
import { Badge, ErrorBox, GoalName, JsonBlock } from "./ui.tsx";

export function ApprovalsPage({ me }: { me: Me }) {
  const now = useNow();
  const inbox = useLoad(
    () => api<{ approvals: Approval[] }>("GET", "/v1/approvals?status=pending&limit=200"),
    [],
    10_000,
  );
  const goals = useLoad(() => api<{ goals: GoalSummary[] }>("GET", "/v1/goals?limit=100"), []);
  const [decided, setDecided] = useState<string[]>([]);
  const names = new Map((goals.data?.goals ?? []).map((g) => [g.id, g.name]));
  const pending = (inbox.data?.approvals ?? []).filter((a) => !decided.includes(a.key));
  return (
    <>
      <div class="page-head">
        <h1>Approvals</h1>
        <button type="button" class="secondary" onClick={() => void inbox.reload()}>
          Refresh
        </button>
      </div>
      <ErrorBox error={inbox.error} title="Could not read the inbox" />
      {inbox.data && pending.length === 0 && <p class="empty">No action awaits approval.</p>}
      <ul class="approvals">
        {pending.map((approval) => (
          <ApprovalCard
            key={approval.key}
            approval={approval}
            goalName={names.get(approval.goal_id)}
            now={now}
            canDecide={can(me, "goals:write")}
            onDecided={() => setDecided((keys) => [...keys, approval.key])}
          />
        ))}
      </ul>
    </>
  );
}

function ApprovalCard({
  approval,
  goalName,
  now,
  canDecide,
  onDecided,
}: {
  approval: Approval;
  goalName: string | undefined;
  now: number;
  canDecide: boolean;
  onDecided: () => void;
}) {
  const [verdict, setVerdict] = useState<Verdict>();
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [done, setDone] = useState<string>();

  useEffect(() => {
    api<{ cycles: Receipt[] }>(
      "GET",
      `/v1/goals/${approval.goal_id}/cycles?after=${approval.cycle - 1}&limit=1`,
    )
      .then((page) => {
        const receipt = page.cycles.find((r) => r.cycle === approval.cycle);
        setVerdict(receipt?.verdicts?.find((v) => v.rule === approval.rule));
      })
      .catch(() => undefined);
  }, [approval.goal_id, approval.cycle, approval.rule]);

  const decide = async (verb: "approve" | "reject") => {
    setBusy(true);
    setError(undefined);
    try {
      await api(
        "POST",
        `/v1/goals/${approval.goal_id}/approvals/${encodeURIComponent(approval.key)}/${verb}`,
        reason.trim() === "" ? {} : { reason: reason.trim() },
      );
      setDone(verb === "approve" ? "approved: it is being sent" : "rejected");
      setTimeout(onDecided, 2500);
    } catch (e) {
      if (e instanceof ApiError) setError(e);
    } finally {
      setBusy(false);
    }
  };

  const left = Date.parse(approval.expires_at) - now;
  const reasonId = `reason-${approval.key.replace(/[^a-zA-Z0-9_-]/g, "-")}`;
  return (
    <li class="card approval" data-key={approval.key}>
      <header class="card-head">
        <h2>
          {approval.action} <Badge value={approval.kind} kind="kind" />
        </h2>
        <span class={left < 3_600_000 ? "bad" : "muted"}>
          {left > 0 ? `expires in ${span(left)}` : "expired"}
        </span>
      </header>
      <p>
        Goal{" "}
        <a href={`#/goals/${approval.goal_id}/cycle/${approval.cycle}`}>
          <GoalName name={goalName} id={approval.goal_id} />
        </a>
        , cycle {approval.cycle}, rule <strong>{approval.rule}</strong>, requested{" "}
        {when(approval.requested_at)}
      </p>
      {verdict && (
        <div class="verdict">
          <div>
            <Badge value={verdict.status} kind="verdict" /> {verdict.reason}
          </div>
          {verdict.values && (
            <dl class="values">
              {Object.entries(verdict.values).map(([name, value]) => (
                <div key={name}>
                  <dt>{name}</dt>
                  <dd>{short(value, 80)}</dd>
                </div>
              ))}
            </dl>
          )}
        </div>
      )}
      <details open>
        <summary>Request it will send</summary>
        <JsonBlock value={approval.payload} label={`Request of ${approval.action}`} />
      </details>
      <ErrorBox error={error} title="The decision failed" />
      {done ? (
        <p class="ok" role="status">
          {approval.action} {done}.
        </p>
      ) : (
        canDecide && (
          <div class="decide">
            <label for={reasonId}>Reason</label>
            <input
              id={reasonId}
              value={reason}
              maxLength={500}
              placeholder="why (kept in the goal's receipts)"
              onInput={(e) => setReason(e.currentTarget.value)}
            />
            <div class="row">
              <button type="button" disabled={busy} onClick={() => void decide("approve")}>
                Approve
              </button>
              <button
                type="button"
                class="danger"
                disabled={busy}
                onClick={() => void decide("reject")}
              >
                Reject
              </button>
            </div>
          </div>
        )
      )}
    </li>
  );
}
