/** The timeline of a goal's cycles, newest first: what each observed, decided and did. */
import type { ApiError } from "./api.ts";
import { clock, short } from "./format.ts";
import type { Receipt } from "./types.ts";
import { Badge, ErrorBox, Section } from "./ui.tsx";

export function Timeline({
  receipts,
  id,
  chosen,
  error,
}: {
  receipts: readonly Receipt[];
  id: string;
  chosen: Receipt | undefined;
  error: ApiError | undefined;
}) {
  const newestFirst = [...receipts].reverse();
  return (
    <Section title="Timeline">
      <ErrorBox error={error} title="Could not read the cycles" />
      {newestFirst.length === 0 && <p class="empty">No cycle yet.</p>}
      <ol class="timeline" aria-label="Cycles, newest first">
        {newestFirst.map((r) => (
          <TimelineItem
            key={`${r.cycle}:${r.fault ? r.at : ""}`}
            receipt={r}
            id={id}
            chosen={r === chosen}
          />
        ))}
      </ol>
    </Section>
  );
}

function TimelineItem({ receipt, id, chosen }: { receipt: Receipt; id: string; chosen: boolean }) {
  const verdicts = receipt.verdicts ?? [];
  const matched = verdicts.filter((v) => v.status === "matched");
  const held = verdicts.filter((v) => v.status !== "matched" && v.status !== "false");
  const observed = Object.entries(receipt.observed ?? {}).flatMap(([name, entries]) =>
    entries.map((e) => `${name}=${short(e.value, 24)}`),
  );
  return (
    <li
      class={`cycle${chosen ? " chosen" : ""}${receipt.fault ? " fault" : ""}`}
      data-cycle={receipt.cycle}
    >
      <a
        href={`#/goals/${id}/cycle/${receipt.cycle}`}
        aria-label={`Why cycle ${receipt.cycle}`}
        aria-current={chosen ? "true" : undefined}
      >
        <span class="cycle-no">#{receipt.cycle}</span>
        <span class="muted">{clock(receipt.at)}</span>
        {receipt.trigger && <Badge value={receipt.trigger} kind="trigger" />}
      </a>
      <div class="cycle-body">
        {receipt.fault ? (
          <span class="bad">fault: {String(receipt.fault.message ?? "the pass failed")}</span>
        ) : (
          <>
            {observed.length > 0 && <div class="mono small">{observed.join(" ")}</div>}
            <div class="verdict-list">
              {receipt.model &&
                (receipt.model.fallback ? (
                  <span class="nowrap">
                    model <Badge value="fallback" kind="verdict" />
                  </span>
                ) : (
                  <span class="nowrap">model chose {receipt.model.choice ?? "—"}</span>
                ))}
              {matched.length + held.length === 0 && !receipt.model && "no rule matched"}
              {[...matched, ...held].map((v) => (
                <span key={v.rule} class="nowrap">
                  {v.rule} <Badge value={v.status} kind="verdict" />
                </span>
              ))}
            </div>
            {(receipt.actions ?? []).length > 0 && (
              <div>
                actions:{" "}
                {(receipt.actions ?? [])
                  .map(
                    (a) =>
                      `${a.action}${a.awaiting_approval ? " (awaiting approval)" : ""}${a.dry_run ? " (dry run)" : ""}`,
                  )
                  .join(", ")}
              </div>
            )}
            {(receipt.act_results ?? []).map((r) => (
              <div key={r.key} class="small">
                result {r.action}: <Badge value={r.status} kind="result" />
                {r.http_status ? ` HTTP ${r.http_status}` : ""}
              </div>
            ))}
            {(receipt.decisions ?? []).map((d) => (
              <div key={d.key} class="small">
                {d.action} {d.decision}
                {d.by ? ` by ${d.by.name ?? d.by.key_id}` : ""}
                {d.reason ? `: “${d.reason}”` : ""}
              </div>
            ))}
          </>
        )}
      </div>
    </li>
  );
}
