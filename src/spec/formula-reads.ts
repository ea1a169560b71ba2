/**
 * What a formula reads, in the loop's terms. A rule must never decide on data
 * that is missing or stale, so for every formula the goal knows which observed
 * names it depends on (bare, or through `history.NAME`) and which oriented
 * names (whose own dependencies the orient step resolves in order).
 */
import type { CompiledFormula } from "../formula/index.ts";

/** The fields of `act.NAME`. */
export const ACT_FIELDS: ReadonlySet<string> = new Set([
  "status",
  "value",
  "http_status",
  "latency_ms",
  "attempt",
  "at",
  "key",
  "error",
]);

/** The names a goal declares, by kind. */
export interface DeclaredNames {
  readonly params: ReadonlySet<string>;
  readonly observed: ReadonlySet<string>;
  readonly oriented: ReadonlySet<string>;
  readonly actions: ReadonlySet<string>;
}

/** The goal's names a formula depends on for freshness and availability. */
export interface Reads {
  /** Observed names read bare or as `history.NAME`, sorted. */
  readonly observed: readonly string[];
  /** Oriented names read bare, sorted. */
  readonly oriented: readonly string[];
}

/** No reads at all. */
export const NO_READS: Reads = { observed: [], oriented: [] };

/** The observed and oriented names `formula` depends on. */
export function readsOf(formula: CompiledFormula, names: DeclaredNames): Reads {
  const observed = new Set<string>();
  const oriented = new Set<string>();
  for (const root of formula.names) {
    if (names.observed.has(root)) observed.add(root);
    if (names.oriented.has(root)) oriented.add(root);
  }
  for (const path of formula.paths) {
    const [root, name] = path.split(".");
    if (root === "history" && name !== undefined && names.observed.has(name)) observed.add(name);
  }
  return { observed: [...observed].sort(), oriented: [...oriented].sort() };
}

/** Both sets of reads together. */
export function mergeReads(a: Reads, b: Reads): Reads {
  return {
    observed: [...new Set([...a.observed, ...b.observed])].sort(),
    oriented: [...new Set([...a.oriented, ...b.oriented])].sort(),
  };
}

/**
 * Messages for each path that names something the goal does not have:
 * `history.X` for an X that is not observed, `prev.X` for an X that is not
 * oriented, `act.X` / `failed.X` for an X that is not an action, or
 * `act.X.field` for a field an act result does not have.
 */
export function unknownReferences(formula: CompiledFormula, names: DeclaredNames): string[] {
  const problems: string[] = [];
  for (const path of formula.paths) {
    const [root, name, field] = path.split(".");
    if (name === undefined) continue;
    if (root === "history" && !names.observed.has(name)) {
      problems.push(`${path}: "${name}" is not an observed name, so it has no history`);
    } else if (root === "prev" && !names.oriented.has(name)) {
      problems.push(`${path}: "${name}" is not an orient formula, so it has no previous value`);
    } else if ((root === "act" || root === "failed") && !names.actions.has(name)) {
      problems.push(`${path}: "${name}" is not an action of this goal`);
    } else if (root === "act" && field !== undefined && !ACT_FIELDS.has(field)) {
      problems.push(
        `${path}: an act result has no field "${field}" (it has ${[...ACT_FIELDS].join(", ")})`,
      );
    }
  }
  return problems;
}
