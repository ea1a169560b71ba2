/**
 * The formula registry: registers immutable versions, pins `fn.NAME` calls to
 * the callee's version at registration, rejects call cycles, and keeps
 * compiled versions in the isolate keyed by tenant, name and version.
 */
import type { Db } from "../db/client.ts";
import { getHead, getVersion, insertVersion } from "../db/formulas.ts";
import { quotaExceeded } from "../db/quotas.ts";
import type { FormulaVersionRow } from "../db/schema.ts";
import { FormulaCallDepth, FormulaCycle, FormulaOverBudget, VersionConflict } from "../errors.ts";
import {
  type CallableFormula,
  type CompiledFormula,
  compile,
  DEFAULT_EVALUATION_BUDGET,
  type ParamSpec,
  referencedFormulas,
} from "../formula/index.ts";
import { LruCache } from "./cache.ts";

/** How deep `fn.` calls may nest, and how many formulas one may reach. */
export const CALL_LIMITS = { depth: 8, reach: 32 } as const;

/** A compiled version, ready to evaluate or to be called by another formula. */
export interface LoadedFormula extends CallableFormula {
  readonly row: FormulaVersionRow;
  /** Every formula name reachable through its calls, itself excluded. */
  readonly reach: ReadonlySet<string>;
}

const compiled = new LruCache<string, LoadedFormula>(1000);

const cacheKey = (tenant: string, name: string, version: number) =>
  `${tenant}\u0000${name}\u0000${version}`;

/** The declared params of a stored version, as the language takes them. */
function paramSpecs(row: FormulaVersionRow): ParamSpec[] | undefined {
  return (row.params as ParamSpec[] | null) ?? undefined;
}

/** Loads and compiles a stored version with its pinned callees (cached). */
export async function loadVersion(
  db: Db,
  tenant: string,
  name: string,
  version: number,
  depth = 0,
): Promise<LoadedFormula | undefined> {
  const key = cacheKey(tenant, name, version);
  const hit = compiled.get(key);
  if (hit) return hit;
  if (depth > CALL_LIMITS.depth) {
    throw new FormulaCallDepth(`fn. calls nest deeper than ${CALL_LIMITS.depth}`);
  }
  const row = await getVersion(db, tenant, name, version);
  if (!row) return undefined;
  const callees = await loadPinned(db, tenant, row.deps, depth + 1);
  const loaded = link(row, compileRow(row, callees), callees);
  compiled.set(key, loaded);
  return loaded;
}

async function loadPinned(
  db: Db,
  tenant: string,
  deps: Record<string, number>,
  depth: number,
): Promise<Map<string, LoadedFormula>> {
  const entries = await Promise.all(
    Object.entries(deps).map(
      async ([dep, v]) => [dep, await loadVersion(db, tenant, dep, v, depth)] as const,
    ),
  );
  const callees = new Map<string, LoadedFormula>();
  for (const [dep, loaded] of entries) if (loaded) callees.set(dep, loaded);
  return callees;
}

function compileRow(row: FormulaVersionRow, callees: Map<string, LoadedFormula>): CompiledFormula {
  const params = paramSpecs(row);
  return compile(row.expr, { ...(params ? { params } : {}), formulas: (n) => callees.get(n) });
}

function link(
  row: FormulaVersionRow,
  formula: CompiledFormula,
  callees: Map<string, LoadedFormula>,
): LoadedFormula {
  const reach = new Set<string>();
  for (const [dep, callee] of callees) {
    reach.add(dep);
    for (const r of callee.reach) reach.add(r);
  }
  return { row, formula, params: formula.params ?? [], reach };
}

/** The current version of a live formula, or undefined when absent or deleted. */
export async function loadCurrent(
  db: Db,
  tenant: string,
  name: string,
): Promise<LoadedFormula | undefined> {
  const head = await getHead(db, tenant, name);
  if (!head || head.deletedAt !== null) return undefined;
  return loadVersion(db, tenant, name, head.currentVersion);
}

export interface FormulaInput {
  expr: string;
  params?: ParamSpec[];
  description?: string;
}

/**
 * Validates and stores a new version of `name`. `expectedVersion` (from
 * If-Match) must equal the current version when given; a name not live yet
 * needs room under `quota`, the tenant's live formulas limit. Throws
 * FormulaError for an invalid expression and a domain error (`src/errors.ts`)
 * for cycles, calls past their limits, conflicts and a used-up quota.
 */
export async function registerFormula(
  db: Db,
  tenant: string,
  name: string,
  input: FormulaInput,
  expectedVersion: number | undefined,
  quota: number,
): Promise<{ loaded: LoadedFormula; created: boolean }> {
  const head = await getHead(db, tenant, name);
  const current = head && head.deletedAt === null ? head.currentVersion : undefined;
  if (expectedVersion !== undefined && expectedVersion !== current) {
    throw new VersionConflict(
      `expected version ${expectedVersion}, current is ${current ?? "none"}`,
      { details: { current: current ?? null } },
    );
  }
  const callees = new Map<string, LoadedFormula>();
  for (const ref of referencedFormulas(input.expr)) {
    if (ref === name) continue;
    const callee = await loadCurrent(db, tenant, ref);
    if (callee) callees.set(ref, callee);
  }
  const formula = compile(input.expr, {
    ...(input.params ? { params: input.params } : {}),
    formulas: (n) => {
      if (n === name) throw cycleError(name, [name]);
      return callees.get(n);
    },
  });
  assertBounded(formula);
  const deps: Record<string, number> = {};
  for (const ref of formula.formulas) {
    const callee = callees.get(ref);
    if (!callee) continue;
    if (callee.reach.has(name)) throw cycleError(name, [ref]);
    deps[ref] = callee.row.version;
  }
  const row: FormulaVersionRow = {
    tenant,
    name,
    version: (head?.currentVersion ?? 0) + 1,
    expr: input.expr,
    params: input.params ?? null,
    description: input.description ?? null,
    inputs: input.params ? input.params.map((p) => p.name) : [...formula.names],
    deps,
    createdAt: Date.now(),
  };
  const reach = link(row, formula, callees).reach;
  if (reach.size > CALL_LIMITS.reach) {
    throw new FormulaCallDepth(`reaches ${reach.size} formulas; the limit is ${CALL_LIMITS.reach}`);
  }
  const stored = await insertVersion(db, row, quota);
  if (stored === "full") throw await quotaExceeded(db, tenant, "formulas", quota);
  if (stored === "conflict") {
    throw new VersionConflict("another change to this formula landed first; retry");
  }
  const loaded = link(row, formula, callees);
  compiled.set(cacheKey(tenant, name, row.version), loaded);
  return { loaded, created: current === undefined };
}

function cycleError(name: string, via: string[]): FormulaCycle {
  return new FormulaCycle(
    `fn.${name} would call itself (via ${via.map((v) => `fn.${v}`).join(", ")})`,
    { details: { via } },
  );
}

/** Compiles an ad hoc expression; its `fn.NAME` calls resolve to the tenant's current versions. */
export async function compileAdHoc(db: Db, tenant: string, expr: string): Promise<CompiledFormula> {
  const callees = new Map<string, LoadedFormula>();
  await Promise.all(
    referencedFormulas(expr).map(async (ref) => {
      const callee = await loadCurrent(db, tenant, ref);
      if (callee) callees.set(ref, callee);
    }),
  );
  return assertBounded(compile(expr, { formulas: (n) => callees.get(n) }));
}

/**
 * Refuses a formula whose worst-case work on nodes alone — its own and, once
 * per call written, that of every formula it calls through fn. — is more
 * than one evaluation may spend: it could never finish, so it is refused
 * before it runs (422 FORMULA_BUDGET), not each time it is called.
 */
export function assertBounded(formula: CompiledFormula): CompiledFormula {
  if (formula.weight <= DEFAULT_EVALUATION_BUDGET) return formula;
  throw new FormulaOverBudget(
    `evaluating this formula can take up to ${formula.weight} work units through its fn. calls (each call evaluates the whole callee); one evaluation may spend ${DEFAULT_EVALUATION_BUDGET}`,
    { details: { weight: formula.weight, budget: DEFAULT_EVALUATION_BUDGET } },
  );
}

/**
 * A synchronous resolver over the tenant's current versions of `names` (for a
 * goal: the `fn.NAME` calls of its formulas and its `formula` actions, see
 * `specReferences`). Loads them first, in parallel.
 */
export async function formulaResolver(
  db: Db,
  tenant: string,
  names: readonly string[],
): Promise<(name: string) => LoadedFormula | undefined> {
  const loaded = new Map<string, LoadedFormula>();
  await Promise.all(
    [...new Set(names)].map(async (name) => {
      const formula = await loadCurrent(db, tenant, name);
      if (formula) loaded.set(name, formula);
    }),
  );
  return (name) => loaded.get(name);
}
