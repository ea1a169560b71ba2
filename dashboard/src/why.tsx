/**
 * Why a cycle did what it did: each rule's verdict with the values it read,
 * the holds and cooldowns, what was observed and oriented, the actions as
 * rendered (the request) with their results from later receipts, and the
 * spec as it was at that cycle.
 */
import { useEffect, useState } from "preact/hooks";
import { ApiError, api } from "./api.ts";
import { clock, short, span, when } from "./format.ts";
import { useNow } from "./hooks.ts";
import { ModelDetail } from "./model-detail.tsx";
import { merge } from "./receipts.ts";
import type { Json, PlannedAction, Receipt } from "./types.ts";
import { Badge, ErrorBox, JsonBlock, Section } from "./ui.tsx";

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** The time left a hold's or cooldown's reason states ("…; 1m30s left"), in ms. */
function timeLeft(reason: string): number | undefined {
  const stated = /(\d[\dmshd]*) left/.exec(reason)?.[1];
  if (stated === undefined) return undefined;
  let ms = 0;
  for (const [, count, unit] of stated.matchAll(/(\d+)(ms|d|h|m|s)/g)) {
    ms += Number(count) * (UNIT_MS[unit ?? ""] ?? 0);
  }
  return ms;
}

/** The results and decisions that later receipts hold for an action's key. */
function outcomes(key: string, receipts: readonly Receipt[]) {
  return {
    results: receipts.flatMap((r) =>
      (r.act_results ?? []).filter((a) => a.key === key).map((a) => ({ ...a, cycle: r.cycle })),
    ),
    decisions: receipts.flatMap((r) =>
      (r.decisions ?? []).filter((d) => d.key === key).map((d) => ({ ...d, cycle: r.cycle })),
    ),
  };
}

function oriented(value: Json): { text: string; bad: boolean } {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const error = value.error as { code?: string; message?: string } | undefined;
    if (error) return { text: `error ${error.code}: ${error.message}`, bad: true };
    const missing = value.insufficient_data as { reason?: string } | undefined;
    if (missing) return { text: `insufficient data: ${missing.reason}`, bad: true };
  }
  return { text: short(value, 120), bad: false };
}

export function WhyPanel({
  goalId,
  receipt,
  later,
}: {
  goalId: string;
  receipt: Receipt;
  later: readonly Receipt[];
}) {
  const [more, setMore] = useState<Receipt[]>([]);
  const [spec, setSpec] = useState<{ version: number; spec: Json } | ApiError>();

  // Results of its actions may be in receipts the timeline no longer holds.
  useEffect(() => {
    setMore([]);
    if ((receipt.actions ?? []).length === 0) return;
    api<{ cycles: Receipt[] }>("GET", `/v1/goals/${goalId}/cycles?after=${receipt.cycle}&limit=50`)
      .then((page) => setMore(page.cycles))
      .catch(() => undefined);
  }, [goalId, receipt.cycle, receipt.actions]);

  useEffect(() => {
    setSpec(undefined);
    if (receipt.spec_version === undefined) return;
    api<{ version: number; spec: Json }>("GET", `/v1/goals/${goalId}/specs/${receipt.spec_version}`)
      .then(setSpec)
      .catch((e: unknown) => e instanceof ApiError && setSpec(e));
  }, [goalId, receipt.spec_version]);

  const now = useNow();
  // The timeline's receipts and those read here overlap: each cycle once.
  const all = merge(later, more);
  const verdicts = receipt.verdicts ?? [];
  const holds = verdicts.filter((v) => v.status === "pending" || v.status === "cooling_down");
  return (
    <Section title={`Why cycle ${receipt.cycle}`} id="why-title">
      <div class="why" data-cycle={receipt.cycle}>
        <p class="muted">
          {when(receipt.at)} · trigger <strong>{receipt.trigger ?? "—"}</strong>
          {receipt.missed ? ` · ${receipt.missed} missed` : ""}
          {receipt.spec_version !== undefined ? ` · spec v${receipt.spec_version}` : ""}
          {receipt.duration_ms !== undefined ? ` · ${receipt.duration_ms} ms` : ""}
        </p>
        {receipt.fault && (
          <div class="error">
            <strong>Fault:</strong> {String(receipt.fault.message ?? "")} · retry at{" "}
            {when(receipt.fault.retry_at)}
            <JsonBlock value={receipt.fault} label="Fault details" />
          </div>
        )}

        {receipt.model && <ModelDetail model={receipt.model} />}

        <h3>Verdicts</h3>
        {verdicts.length === 0 && <p class="muted">No rule was evaluated.</p>}
        <ul class="verdicts">
          {verdicts.map((v) => (
            <li key={v.rule} class="verdict" data-rule={v.rule}>
              <div>
                <strong>{v.rule}</strong> <Badge value={v.status} kind="verdict" />
                {v.guard && <span class="muted"> guard {v.guard}</span>}
                {v.code && <code> {v.code}</code>}
                {v.score !== undefined && <span class="muted"> score {short(v.score)}</span>}
              </div>
              <div class="reason">{v.reason}</div>
              {v.values && Object.keys(v.values).length > 0 && (
                <dl class="values">
                  {Object.entries(v.values).map(([name, value]) => (
                    <div key={name}>
                      <dt>{name}</dt>
                      <dd>{short(value, 80)}</dd>
                    </div>
                  ))}
                </dl>
              )}
            </li>
          ))}
        </ul>

        {holds.length > 0 && (
          <>
            <h3>Holds and cooldowns</h3>
            <ul>
              {holds.map((v) => {
                const left = timeLeft(v.reason);
                const ends = left === undefined ? undefined : Date.parse(receipt.at) + left;
                return (
                  <li key={v.rule} data-hold={v.rule}>
                    <strong>{v.rule}</strong>{" "}
                    {v.status === "pending" ? "holds (for)" : "cools down"}: {v.reason}
                    {ends !== undefined && (
                      <span class="muted">
                        {" "}
                        — {ends > now ? `ends in ${span(ends - now)}` : "over"} (
                        {clock(new Date(ends).toISOString())}
                        {v.status === "pending" ? ", if the condition stays true" : ""})
                      </span>
                    )}
                  </li>
                );
              })}
            </ul>
          </>
        )}

        <h3>Observed</h3>
        {Object.keys(receipt.observed ?? {}).length === 0 ? (
          <p class="muted">
            Nothing new{receipt.stale?.length ? `; stale: ${receipt.stale.join(", ")}` : ""}.
          </p>
        ) : (
          <table class="kv">
            <tbody>
              {Object.entries(receipt.observed ?? {}).flatMap(([name, entries]) =>
                entries.map((e, i) => (
                  <tr key={`${name}${i}`}>
                    <th scope="row">{name}</th>
                    <td>
                      {short(e.value, 80)}
                      <div class="muted small">
                        {e.source} · {when(e.at)}
                      </div>
                    </td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        )}

        <h3>Oriented</h3>
        {Object.keys(receipt.oriented ?? {}).length === 0 ? (
          <p class="muted">No orient formulas.</p>
        ) : (
          <table class="kv">
            <tbody>
              {Object.entries(receipt.oriented ?? {}).map(([name, value]) => {
                const shown = oriented(value);
                return (
                  <tr key={name}>
                    <th scope="row">{name}</th>
                    <td class={shown.bad ? "bad" : ""}>{shown.text}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}

        <h3>Actions</h3>
        {(receipt.actions ?? []).length === 0 && <p class="muted">None planned.</p>}
        {(receipt.actions ?? []).map((a) => (
          <ActionDetail key={a.key} action={a} receipts={all} />
        ))}

        {(receipt.act_results ?? []).length + (receipt.decisions ?? []).length > 0 && (
          <>
            <h3>Arrived this cycle</h3>
            <ul>
              {(receipt.act_results ?? []).map((r) => (
                <li key={`r${r.key}`}>
                  result of {r.action}: <Badge value={r.status} kind="result" />
                  {r.http_status ? ` HTTP ${r.http_status}` : ""}
                  {r.error ? ` — ${r.error}` : ""}
                </li>
              ))}
              {(receipt.decisions ?? []).map((d) => (
                <li key={`d${d.key}`}>
                  {d.action} {d.decision}
                  {d.by ? ` by ${d.by.name ?? d.by.key_id}` : ""}
                  {d.reason ? `: “${d.reason}”` : ""}
                </li>
              ))}
            </ul>
          </>
        )}

        <details class="spec">
          <summary>
            Spec at this cycle
            {receipt.spec_version !== undefined ? ` (v${receipt.spec_version})` : ""}
          </summary>
          {receipt.spec_version === undefined ? (
            <p class="muted">This receipt does not say which spec version it ran with.</p>
          ) : spec instanceof ApiError ? (
            <ErrorBox error={spec} title="That spec version is not kept" />
          ) : spec ? (
            <JsonBlock value={spec.spec} label={`Spec version ${spec.version}`} />
          ) : (
            <p class="muted">Loading…</p>
          )}
        </details>
      </div>
    </Section>
  );
}

function ActionDetail({
  action,
  receipts,
}: {
  action: PlannedAction;
  receipts: readonly Receipt[];
}) {
  const { results, decisions } = outcomes(action.key, receipts);
  return (
    <div class="action" data-action={action.action}>
      <div>
        <strong>{action.action}</strong> <Badge value={action.kind} kind="kind" /> by rule{" "}
        {action.rule} {action.awaiting_approval && <Badge value="approval" kind="flag" />}{" "}
        {action.dry_run && <Badge value="dry run" kind="flag" />}
      </div>
      <div class="muted mono small">key {action.key}</div>
      <details open>
        <summary>Request</summary>
        <JsonBlock value={action.payload} label={`Request of ${action.action}`} />
      </details>
      {decisions.map((d) => (
        <div key={`${d.cycle}d`}>
          cycle {d.cycle}: {d.decision}
          {d.by ? ` by ${d.by.name ?? d.by.key_id}` : ""}
          {d.reason ? `: “${d.reason}”` : ""}
        </div>
      ))}
      {results.map((r) => (
        <div key={`${r.cycle}:${r.attempt}`}>
          cycle {r.cycle}: result <Badge value={r.status} kind="result" />
          {r.http_status ? ` HTTP ${r.http_status}` : ""}
          {r.error ? ` — ${r.error}` : ""}
          {r.value !== undefined && <JsonBlock value={r.value} label="Result value" />}
        </div>
      ))}
      {results.length === 0 && decisions.length === 0 && (
        <div class="muted">
          {action.awaiting_approval ? "Awaiting approval; no result yet." : "No result yet."}
        </div>
      )}
    </div>
  );
}
