/** The why panel's part for policy `model`: what the model chose and why, or why the rules decided. */
import type { ModelDecision } from "./types.ts";
import { Badge } from "./ui.tsx";

/** Policy `model`: the model's choice and reason, or why the rules decided instead. */
export function ModelDetail({ model }: { model: ModelDecision }) {
  const tokens = [model.tokens.prompt, model.tokens.completion];
  return (
    <div class="model" data-choice={model.choice ?? ""}>
      <h3>Model</h3>
      <p>
        <code>{model.provider}</code> <code>{model.model}</code>
        {model.latency_ms !== null ? ` · ${model.latency_ms} ms` : ""}
        {tokens.some((n) => n !== null)
          ? ` · ${tokens[0] ?? "?"} + ${tokens[1] ?? "?"} tokens`
          : ""}
      </p>
      {model.fallback ? (
        <p>
          <Badge value="fallback" kind="verdict" /> the rules decided: {model.fallback}
        </p>
      ) : (
        <p>
          chose <strong>{model.choice ?? "—"}</strong>
          {model.reason ? `: “${model.reason}”` : ""}
        </p>
      )}
      {model.outcome && (
        <p>
          <Badge value={model.outcome.status} kind="verdict" /> {model.outcome.reason}
          {model.outcome.guard ? ` (guard ${model.outcome.guard})` : ""}
        </p>
      )}
      {model.error && <p class="muted">error: {model.error}</p>}
      {model.raw !== null && (
        <details>
          <summary>Raw answer (prompt sha256 {model.prompt_sha256?.slice(0, 12) ?? "—"}…)</summary>
          <pre class="json">{model.raw}</pre>
        </details>
      )}
    </div>
  );
}
