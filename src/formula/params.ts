/**
 * Declared parameters: checked once at compile time, then applied to every
 * evaluation — defaults for missing inputs, errors for missing required ones
 * and for numbers outside a parameter's bounds.
 */
import { FormulaError } from "./errors.ts";
import type { ParamSpec, Value, Vars } from "./types.ts";

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const NOT_A_PARAM = new Set(["and", "or", "not", "true", "false", "null", "fn", "pi", "e"]);

function isValue(raw: unknown, depth = 0): raw is Value {
  if (raw === null || typeof raw === "string" || typeof raw === "boolean") return true;
  if (typeof raw === "number") return Number.isFinite(raw);
  if (!Array.isArray(raw) || depth > 64) return false;
  const items: readonly unknown[] = raw;
  return items.every((item) => isValue(item, depth + 1));
}

function paramError(
  code: "FORMULA_SYNTAX" | "FORMULA_PARAM_RANGE" | "FORMULA_TYPE",
  param: string,
  message: string,
) {
  return new FormulaError(code, message, { details: { param } });
}

function checkSpec(spec: ParamSpec): ParamSpec {
  const { name, min, max } = spec;
  if (!IDENTIFIER.test(name) || NOT_A_PARAM.has(name)) {
    throw paramError(
      "FORMULA_SYNTAX",
      name,
      `\`${name}\` cannot be a parameter name: it must be an identifier and not a keyword or constant`,
    );
  }
  for (const bound of [min, max]) {
    if (bound !== undefined && !Number.isFinite(bound)) {
      throw paramError(
        "FORMULA_PARAM_RANGE",
        name,
        `the bounds of parameter \`${name}\` must be finite numbers`,
      );
    }
  }
  if (min !== undefined && max !== undefined && min > max) {
    throw paramError(
      "FORMULA_PARAM_RANGE",
      name,
      `parameter \`${name}\` has min ${min} greater than max ${max}`,
    );
  }
  const out: ParamSpec = { name };
  if (spec.default !== undefined) {
    if (!isValue(spec.default)) {
      throw paramError(
        "FORMULA_TYPE",
        name,
        `the default of parameter \`${name}\` is not a formula value`,
      );
    }
    if (min !== undefined || max !== undefined) checkRange(name, spec.default, min, max);
    out.default = spec.default;
  }
  if (min !== undefined) out.min = min;
  if (max !== undefined) out.max = max;
  return Object.freeze(out);
}

/** Normalizes declared parameters (a bare string is a required parameter). Throws on invalid specs. */
export function normalizeParams(params: readonly (string | ParamSpec)[]): readonly ParamSpec[] {
  const seen = new Set<string>();
  const specs = params.map((param) => {
    const spec = checkSpec(typeof param === "string" ? { name: param } : param);
    if (seen.has(spec.name))
      throw paramError("FORMULA_SYNTAX", spec.name, `parameter \`${spec.name}\` is declared twice`);
    seen.add(spec.name);
    return spec;
  });
  return Object.freeze(specs);
}

function checkRange(
  name: string,
  value: unknown,
  min: number | undefined,
  max: number | undefined,
): void {
  if (
    typeof value === "number" &&
    !(min !== undefined && value < min) &&
    !(max !== undefined && value > max)
  )
    return;
  const range = `[${min ?? "-∞"}, ${max ?? "∞"}]`;
  const got =
    typeof value === "number"
      ? String(value)
      : value === null
        ? "null"
        : Array.isArray(value)
          ? "an array"
          : `a ${typeof value}`;
  throw new FormulaError(
    "FORMULA_PARAM_RANGE",
    `parameter \`${name}\` must be a number in ${range}, got ${got}`,
    {
      details: { param: name, min: min ?? null, max: max ?? null },
    },
  );
}

/** Sets an own data field, even one named `__proto__` (which plain assignment would treat as the prototype). */
export function setOwn(target: Record<string, unknown>, name: string, value: unknown): void {
  if (name === "__proto__") {
    Object.defineProperty(target, name, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    target[name] = value;
  }
}

/**
 * The inputs of one evaluation under declared parameters: exactly the declared
 * names, each from vars (own properties only) or its default. Other vars are
 * not readable anyway, since compile rejected undeclared names.
 */
export function bindParams(vars: Vars, specs: readonly ParamSpec[]): Vars {
  // Built by assigning the same names in the same order every time, so all bound inputs of
  // a formula share one hidden class and reading them stays fast.
  const bound: Record<string, unknown> = {};
  for (const spec of specs) {
    const name = spec.name;
    let value = Object.hasOwn(vars, name) ? vars[name] : undefined;
    if (value === undefined) {
      if (spec.default === undefined) {
        throw new FormulaError("FORMULA_MISSING_PARAM", `missing parameter \`${name}\``, {
          hint: `pass \`${name}\` in the inputs`,
          details: { param: name },
        });
      }
      value = spec.default;
    }
    if (spec.min !== undefined || spec.max !== undefined)
      checkRange(name, value, spec.min, spec.max);
    setOwn(bound, name, value);
  }
  return bound;
}
