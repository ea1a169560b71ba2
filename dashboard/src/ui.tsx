/** Small pieces every page uses: status badges, error boxes, JSON blocks. */
import type { ComponentChildren } from "preact";
import type { ApiError } from "./api.ts";
import { pretty } from "./format.ts";
import type { GoalSummary, GoalView } from "./types.ts";

/**
 * What an operator calls a goal's state: the registry's status, or "failing"
 * (its last passes failed) and "awaiting approval" (actions held) for an
 * active goal.
 */
export function goalState(
  status: string,
  live: { failures: number; awaiting: number } | null | undefined,
): string {
  if (status !== "active" || !live) return status;
  if (live.failures > 0) return "failing";
  if (live.awaiting > 0) return "awaiting approval";
  return status;
}

export const summaryState = (goal: GoalSummary) =>
  goalState(
    goal.status,
    goal.live ? { failures: goal.live.failures, awaiting: goal.live.awaiting_approval } : undefined,
  );

export const viewState = (goal: GoalView) =>
  goalState(goal.status, { failures: goal.failures, awaiting: goal.awaiting_approval.length });

/** Whether a name shows anything: not only spaces, zero-width or direction marks. */
const VISIBLE = /[^\s\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]/u;

/**
 * A goal's name as text: isolated from the text around it (a direction
 * override in it stays inside), wrapped anywhere when it is one long word, and
 * the goal's id when the name shows nothing (so its link can still be seen and
 * named).
 */
/** What a goal is shown as: its name, or its id when the name shows nothing. */
export const shownName = (name: string | undefined, id: string) =>
  name !== undefined && VISIBLE.test(name) ? name : id;

export function GoalName({ name, id }: { name: string | undefined; id: string }) {
  return <bdi class="goal-name">{shownName(name, id)}</bdi>;
}

export function Badge({ value, kind = "status" }: { value: string; kind?: string }) {
  return <span class={`badge ${kind}-${value.replace(/[^a-z_]+/g, "-")}`}>{value}</span>;
}

export function ErrorBox({ error, title }: { error: ApiError | undefined; title?: string }) {
  if (!error) return null;
  return (
    <div class="error" role="alert">
      <strong>{title ?? "Something failed"}:</strong> {error.message}{" "}
      <code class="muted">{error.code}</code>
      {error.issues.length > 0 && (
        <ul>
          {error.issues.map((issue) => (
            <li key={`${issue.path}${issue.message}`}>
              {issue.path && <code>{issue.path}</code>} {issue.message}
              {issue.hint && <span class="hint"> — {issue.hint}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** JSON, indented; `label` names it for the test and the curious (a title, not read aloud). */
export function JsonBlock({ value, label }: { value: unknown; label?: string }) {
  return (
    <pre class="json" title={label}>
      {pretty(value)}
    </pre>
  );
}

export function Section({
  title,
  children,
  actions,
  id,
}: {
  title: string;
  children: ComponentChildren;
  actions?: ComponentChildren;
  id?: string;
}) {
  const heading = id ?? `h-${title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
  return (
    <section class="card" aria-labelledby={heading}>
      <header class="card-head">
        <h2 id={heading}>{title}</h2>
        {actions && <div class="row">{actions}</div>}
      </header>
      {children}
    </section>
  );
}
