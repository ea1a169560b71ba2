/**
 * What if: a copy of the goal's spec, edited here, replayed over the goal's
 * recorded history (`POST /v1/goals/:id/replay` with the spec) beside the
 * replay with its own specs, which reproduces what really happened. Cycles
 * that would act differently are marked.
 */
import { useEffect, useState } from "preact/hooks";
import { ApiError, api } from "./api.ts";
import { clock } from "./format.ts";
import { useLoad } from "./hooks.ts";
import type { GoalDetail, Receipt } from "./types.ts";
import { Badge, ErrorBox, GoalName } from "./ui.tsx";

interface Replay {
  cycles: Receipt[];
  replayed: number;
}

/** What a cycle did: its planned actions (and the requests they render). */
const acted = (receipt: Receipt | undefined) =>
  JSON.stringify((receipt?.actions ?? []).map((a) => [a.action, a.payload]));

/** What a cycle decided: each rule's verdict. */
const decided = (receipt: Receipt | undefined) =>
  (receipt?.verdicts ?? []).map((v) => `${v.rule}:${v.status}`).join(",");

function Side({ receipt }: { receipt: Receipt | undefined }) {
  if (!receipt) return <span class="muted">—</span>;
  const actions = receipt.actions ?? [];
  return (
    <div>
      <div class="verdict-list">
        {(receipt.verdicts ?? []).map((v) => (
          <span key={v.rule} class="nowrap">
            {v.rule} <Badge value={v.status} kind="verdict" />
          </span>
        ))}
      </div>
      <div class="small">
        {actions.length === 0 ? "no action" : `acts: ${actions.map((a) => a.action).join(", ")}`}
      </div>
    </div>
  );
}

export function WhatIfPage({ id }: { id: string }) {
  const goal = useLoad(() => api<GoalDetail>("GET", `/v1/goals/${id}`), [id]);
  const [text, setText] = useState("");
  const [parseError, setParseError] = useState<string>();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ actual: Replay; changed: Replay }>();

  useEffect(() => {
    if (goal.data && text === "") setText(JSON.stringify(goal.data.spec, null, 2));
  }, [goal.data, text]);

  const replay = async () => {
    setParseError(undefined);
    setError(undefined);
    let spec: unknown;
    try {
      spec = JSON.parse(text);
    } catch (e) {
      setParseError(`The spec is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    setBusy(true);
    try {
      const [actual, changed] = await Promise.all([
        api<Replay>("POST", `/v1/goals/${id}/replay`, { limit: 200 }),
        api<Replay>("POST", `/v1/goals/${id}/replay`, { spec, limit: 200 }),
      ]);
      setResult({ actual, changed });
    } catch (e) {
      if (e instanceof ApiError) setError(e);
      setResult(undefined);
    } finally {
      setBusy(false);
    }
  };

  const changedByCycle = new Map((result?.changed.cycles ?? []).map((r) => [r.cycle, r]));
  const rows = (result?.actual.cycles ?? []).map((real) => {
    const other = changedByCycle.get(real.cycle);
    const differs = acted(real) !== acted(other);
    return { real, other, differs, decides: !differs && decided(real) !== decided(other) };
  });
  const differing = rows.filter((r) => r.differs).length;
  const deciding = rows.filter((r) => r.decides).length;

  return (
    <>
      <p class="crumbs">
        <a href={`#/goals/${id}`}>
          ← <GoalName name={goal.data?.name} id={id} />
        </a>
      </p>
      <div class="page-head">
        <h1>What if</h1>
      </div>
      <ErrorBox error={goal.error} title="Could not load the goal" />
      <p class="muted">
        Edit a copy of the spec and replay it over this goal's recorded history. Nothing is sent and
        the goal is not changed.
      </p>
      <label for="what-if-spec">Spec (JSON)</label>
      <textarea
        id="what-if-spec"
        class="code"
        rows={16}
        spellcheck={false}
        value={text}
        onInput={(e) => setText(e.currentTarget.value)}
      />
      <div class="row">
        <button type="button" disabled={busy || text === ""} onClick={() => void replay()}>
          {busy ? "Replaying…" : "Replay"}
        </button>
        <button
          type="button"
          class="secondary"
          disabled={!goal.data}
          onClick={() => goal.data && setText(JSON.stringify(goal.data.spec, null, 2))}
        >
          Reset to the goal's spec
        </button>
      </div>
      {parseError && (
        <p class="error" role="alert">
          {parseError}
        </p>
      )}
      <ErrorBox error={error} title="The replay was refused" />
      {result && (
        <>
          <p class="summary" role="status">
            {differing === 0
              ? `All ${rows.length} replayed cycles would act the same`
              : `${differing} of ${rows.length} cycles would act differently`}
            {deciding > 0 ? `; ${deciding} more would decide differently but act the same.` : "."}
          </p>
          <table class="what-if responsive">
            <thead>
              <tr>
                <th scope="col">Cycle</th>
                <th scope="col">What happened</th>
                <th scope="col">With the edited spec</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ real, other, differs, decides }) => (
                <tr
                  key={real.cycle}
                  class={differs ? "differs" : decides ? "decides" : ""}
                  data-cycle={real.cycle}
                >
                  <td data-label="Cycle">
                    #{real.cycle} <span class="muted small">{clock(real.at)}</span>{" "}
                    {real.trigger && <Badge value={real.trigger} kind="trigger" />}
                    {differs && <div class="differs-note">acts differently</div>}
                    {decides && <div class="muted small">decides differently</div>}
                  </td>
                  <td data-label="What happened">
                    <Side receipt={real} />
                  </td>
                  <td data-label="With the edited spec">
                    <Side receipt={other} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}
