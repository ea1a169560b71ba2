/**
 * Reads a dotted path (`data.price`, `items.0.qty`) out of a JSON value,
 * through own properties only.
 */

/** The value at `path`, or undefined when any step is missing. No path: the value itself. */
export function readPath(value: unknown, path: string | undefined): unknown {
  if (path === undefined || path === "") return value;
  let current: unknown = value;
  for (const step of path.split(".")) {
    if (Array.isArray(current)) {
      const index = Number(step);
      if (!Number.isInteger(index)) return undefined;
      current = current.at(index);
    } else if (current !== null && typeof current === "object" && Object.hasOwn(current, step)) {
      current = (current as Record<string, unknown>)[step];
    } else {
      return undefined;
    }
  }
  return current;
}
