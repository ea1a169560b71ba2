/** The goals list: each goal's state, cadence, last cycle and outcome, next wake-up, recent actions. */
import { useState } from "preact/hooks";
import { api, type Me } from "./api.ts";
import { relative } from "./format.ts";
import { useLoad, useNow } from "./hooks.ts";
import type { GoalSummary } from "./types.ts";
import { Badge, ErrorBox, GoalName, summaryState } from "./ui.tsx";

const STATES = ["active", "paused", "done", "failed", "failing", "awaiting approval"];

function outcome(goal: GoalSummary): string {
  const last = goal.live?.last_outcome;
  if (!last) return goal.live?.cycle ? "—" : "no cycle yet";
  if (last.fault) return `fault (${last.trigger})`;
  const actions =
    last.actions > 0 ? `${last.actions} action${last.actions > 1 ? "s" : ""} planned` : "";
  if (last.matched.length === 0) return `${last.trigger}: ${actions || "nothing matched"}`;
  return `${last.trigger}: matched ${last.matched.join(", ")}${actions ? `, ${actions}` : ""}`;
}

export function GoalsPage(_: { me: Me }) {
  const [state, setState] = useState("");
  const [name, setName] = useState("");
  const now = useNow();
  const goals = useLoad(
    () => api<{ goals: GoalSummary[] }>("GET", "/v1/goals?include=live&limit=100"),
    [],
    5000,
  );
  const shown = (goals.data?.goals ?? []).filter(
    (goal) =>
      (state === "" || summaryState(goal) === state) &&
      goal.name.toLowerCase().includes(name.trim().toLowerCase()),
  );
  return (
    <>
      <div class="page-head">
        <h1>Goals</h1>
        <div class="filters">
          <label>
            Status
            <select value={state} onChange={(e) => setState(e.currentTarget.value)}>
              <option value="">all</option>
              {STATES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <label>
            Name
            <input
              type="search"
              value={name}
              placeholder="filter by name"
              onInput={(e) => setName(e.currentTarget.value)}
            />
          </label>
        </div>
      </div>
      <ErrorBox error={goals.error} title="Could not list the goals" />
      {goals.data && shown.length === 0 && (
        <p class="empty">
          {goals.data.goals.length === 0
            ? "No goals yet. Register one with POST /v1/goals (see /docs)."
            : "No goal matches the filter."}
        </p>
      )}
      {shown.length > 0 && (
        <table class="goals responsive">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Status</th>
              <th scope="col">Cadence</th>
              <th scope="col">Last cycle</th>
              <th scope="col">Outcome</th>
              <th scope="col">Next wake-up</th>
              <th scope="col">Actions (1 h)</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((goal) => (
              <tr key={goal.id} data-goal={goal.id}>
                <td data-label="Name">
                  <a href={`#/goals/${goal.id}`}>
                    <GoalName name={goal.name} id={goal.id} />
                  </a>
                  <div class="muted mono small">{goal.id}</div>
                </td>
                <td data-label="Status">
                  <Badge value={summaryState(goal)} />
                </td>
                <td data-label="Cadence">{goal.live?.every ?? "—"}</td>
                <td data-label="Last cycle">
                  {goal.live?.cycle ? (
                    <>
                      #{goal.live.cycle}{" "}
                      <span class="muted">{relative(goal.live.last_cycle_at, now)}</span>
                    </>
                  ) : (
                    "—"
                  )}
                </td>
                <td data-label="Outcome">
                  {goal.live === null ? "did not answer" : outcome(goal)}
                </td>
                <td data-label="Next wake-up">{relative(goal.live?.next_wake_at, now)}</td>
                <td data-label="Actions (1 h)">{goal.live?.actions_last_hour ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
