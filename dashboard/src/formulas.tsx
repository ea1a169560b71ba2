/**
 * The formula playground: a formula and its variables evaluated as you type
 * (`POST /v1/eval`), the value or the error with the offending part
 * underlined and the hint; then register it under a name.
 */
import { useEffect, useMemo, useState } from "preact/hooks";
import { ApiError, api, can, type Me } from "./api.ts";
import { pretty } from "./format.ts";
import { useDebounced, useLoad } from "./hooks.ts";
import type { Json } from "./types.ts";
import { ErrorBox } from "./ui.tsx";

interface Position {
  offset: number;
  line: number;
  column: number;
}

type Outcome =
  | { kind: "idle" }
  | { kind: "value"; value: Json }
  | { kind: "error"; error: ApiError; position?: Position; hint?: string }
  | { kind: "vars"; message: string };

/** How long the part at `offset` is: the name the error names, or the token there. */
function spanAt(expr: string, offset: number, name: unknown): number {
  if (typeof name === "string" && expr.startsWith(name, offset)) return name.length;
  const rest = expr.slice(offset);
  const token = /^([A-Za-z_][A-Za-z0-9_.]*|\d+(\.\d*)?([eE][+-]?\d+)?|"[^"]*"?|'[^']*'?|\S)/.exec(
    rest,
  );
  return token?.[0].length ?? 0;
}

function Underlined({ expr, position, name }: { expr: string; position: Position; name: unknown }) {
  const start = Math.min(position.offset, expr.length);
  const length = spanAt(expr, start, name);
  const before = expr.slice(0, start);
  const bad = length > 0 ? expr.slice(start, start + length) : " ";
  const after = expr.slice(start + length);
  return (
    <pre class="expr-mirror">
      {before}
      <mark class="err-span">
        {bad}
        <span class="sr-only"> (the error is here)</span>
      </mark>
      {after}
    </pre>
  );
}

export function FormulasPage({ me }: { me: Me }) {
  const [expr, setExpr] = useState("");
  const [vars, setVars] = useState("{}");
  const [outcome, setOutcome] = useState<Outcome>({ kind: "idle" });
  const [name, setName] = useState("");
  const [registered, setRegistered] = useState<string>();
  const [registerError, setRegisterError] = useState<ApiError>();
  // Debounced as one string: a new object each render would never settle.
  const settled = useDebounced(JSON.stringify([expr, vars]), 250);
  const input = useMemo(() => {
    const [e = "", v = ""] = JSON.parse(settled) as string[];
    return { expr: e, vars: v };
  }, [settled]);
  const formulas = useLoad(
    () =>
      api<{ formulas: { name: string; version: number; expr: string }[] }>(
        "GET",
        "/v1/formulas?limit=100",
      ),
    [],
  );

  useEffect(() => {
    if (input.expr.trim() === "") {
      setOutcome({ kind: "idle" });
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(input.vars === "" ? "{}" : input.vars);
    } catch {
      setOutcome({ kind: "vars", message: "The variables are not valid JSON." });
      return;
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      setOutcome({ kind: "vars", message: 'The variables are a JSON object: {"x": 1}.' });
      return;
    }
    let stale = false;
    api<{ value: Json }>("POST", "/v1/eval", { expr: input.expr, vars: parsed })
      .then((result) => !stale && setOutcome({ kind: "value", value: result.value }))
      .catch((e: unknown) => {
        if (stale || !(e instanceof ApiError)) return;
        const position = e.details.position as Position | undefined;
        const hint = typeof e.details.hint === "string" ? e.details.hint : undefined;
        setOutcome({
          kind: "error",
          error: e,
          ...(position ? { position } : {}),
          ...(hint ? { hint } : {}),
        });
      });
    return () => {
      stale = true;
    };
  }, [input]);

  const register = async () => {
    setRegistered(undefined);
    setRegisterError(undefined);
    try {
      const saved = await api<{ name: string; version: number }>(
        "PUT",
        `/v1/formulas/${encodeURIComponent(name.trim())}`,
        { expr },
      );
      setRegistered(`Registered ${saved.name}, version ${saved.version}.`);
      await formulas.reload();
    } catch (e) {
      if (e instanceof ApiError) setRegisterError(e);
    }
  };

  const current = expr === input.expr && vars === input.vars;
  return (
    <>
      <div class="page-head">
        <h1>Formula playground</h1>
      </div>
      <div class="split">
        <div class="card">
          <label for="formula">Formula</label>
          <input
            id="formula"
            class="code"
            value={expr}
            spellcheck={false}
            autocomplete="off"
            placeholder="e.g. round(mean(xs) * 1.2, 2)"
            onInput={(e) => setExpr(e.currentTarget.value)}
          />
          {outcome.kind === "error" && outcome.position && (
            <Underlined
              expr={input.expr}
              position={outcome.position}
              name={outcome.error.details.name}
            />
          )}
          <label for="variables">Variables (JSON object)</label>
          <textarea
            id="variables"
            class="code"
            rows={4}
            spellcheck={false}
            value={vars}
            onInput={(e) => setVars(e.currentTarget.value)}
          />
          <div
            class={`result${current ? "" : " stale"}`}
            aria-live="polite"
            data-kind={outcome.kind}
          >
            {outcome.kind === "idle" && <p class="muted">Type a formula to evaluate it.</p>}
            {outcome.kind === "vars" && <p class="error">{outcome.message}</p>}
            {outcome.kind === "value" && (
              <p>
                = <output class="value">{pretty(outcome.value)}</output>
              </p>
            )}
            {outcome.kind === "error" && (
              <div class="error">
                <div>
                  <code>{outcome.error.code}</code> {outcome.error.message}
                  {outcome.position &&
                    ` (line ${outcome.position.line}, column ${outcome.position.column})`}
                </div>
                {outcome.hint && <div class="hint">Hint: {outcome.hint}</div>}
              </div>
            )}
          </div>
          {can(me, "formulas:write") && (
            <form
              class="register"
              onSubmit={(e) => {
                e.preventDefault();
                void register();
              }}
            >
              <label for="formula-name">Register as</label>
              <div class="row">
                <input
                  id="formula-name"
                  value={name}
                  placeholder="name, e.g. tax"
                  pattern="[A-Za-z_][A-Za-z0-9_]*"
                  onInput={(e) => setName(e.currentTarget.value)}
                />
                <button type="submit" disabled={name.trim() === "" || expr.trim() === ""}>
                  Register
                </button>
              </div>
              {registered && (
                <p class="ok" role="status">
                  {registered}
                </p>
              )}
              <ErrorBox error={registerError} title="Not registered" />
            </form>
          )}
        </div>
        <div class="card">
          <h2>Registered formulas</h2>
          <ErrorBox error={formulas.error} />
          {formulas.data?.formulas.length === 0 && <p class="muted">None yet.</p>}
          <ul class="formulas">
            {(formulas.data?.formulas ?? []).map((f) => (
              <li key={f.name}>
                <button
                  type="button"
                  class="link"
                  aria-label={`Load ${f.name} into the playground`}
                  onClick={() => {
                    setExpr(f.expr);
                    setName(f.name);
                  }}
                >
                  {f.name}
                </button>{" "}
                <span class="muted">v{f.version}</span> <code>{f.expr}</code>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </>
  );
}
