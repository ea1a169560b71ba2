/**
 * The order orient formulas run in: each after the oriented names it reads.
 * A cycle among them has no such order and is rejected at registration.
 */

/** A topological order, or the first cycle found. */
export type OrientOrder =
  | { readonly ok: true; readonly order: readonly string[] }
  | { readonly ok: false; readonly cycle: readonly string[] };

/**
 * Orders `names` so every name comes after the names it depends on. Among
 * names that are ready at the same time, declaration order wins, so the order
 * is deterministic and close to what the author wrote. On a cycle, returns
 * it as a closed path (`["a", "b", "a"]`; a self-reference is `["a", "a"]`).
 */
export function orderOrient(
  names: readonly string[],
  dependsOn: (name: string) => readonly string[],
): OrientOrder {
  const known = new Set(names);
  const deps = new Map(names.map((name) => [name, dependsOn(name).filter((d) => known.has(d))]));
  const done = new Set<string>();
  const order: string[] = [];
  while (order.length < names.length) {
    const next = names.find(
      (name) => !done.has(name) && (deps.get(name) ?? []).every((dep) => done.has(dep)),
    );
    if (next === undefined) {
      return {
        ok: false,
        cycle: findCycle(
          names.filter((name) => !done.has(name)),
          deps,
        ),
      };
    }
    done.add(next);
    order.push(next);
  }
  return { ok: true, order };
}

/** A cycle among `rest`, every one of which is blocked, so walking any dependency chain loops. */
function findCycle(
  rest: readonly string[],
  deps: ReadonlyMap<string, readonly string[]>,
): string[] {
  const blocked = new Set(rest);
  const path: string[] = [];
  let current = rest[0];
  while (current !== undefined && !path.includes(current)) {
    path.push(current);
    current = (deps.get(current) ?? []).find((dep) => blocked.has(dep));
  }
  if (current === undefined) return path;
  return [...path.slice(path.indexOf(current)), current];
}
