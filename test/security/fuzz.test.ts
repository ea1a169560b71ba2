/**
 * Fuzzing the HTTP API in the Workers runtime: generated formulas and
 * malformed bodies on every JSON route. Each answer must be a success or a
 * 4xx in the error envelope — never a 5xx — and come back within 100 ms.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expr, pieces, printMinimal, vars } from "../formula/reference/arbitraries.ts";
import { ADMIN, call, goalTenant } from "../helpers.ts";

const FORMULAS = 6000;
const BODIES = 4000;
/** Requests per API key, well under the rate limit of wrangler.toml. */
const PER_KEY = 400;

interface Tally {
  requests: number;
  ok: number;
  client: number;
  /** Requests sent a second time because the first answer took 100 ms or more. */
  resent: number;
  slowestMs: number;
}

/** Sends one request and checks its answer; a new key every PER_KEY requests. */
function prober(tally: Tally) {
  let key = "";
  return async (method: string, path: string, body: string, asOperator = false) => {
    if (!asOperator && tally.requests % PER_KEY === 0) key = (await goalTenant()).key;
    tally.requests += 1;
    const send = async () => {
      const started = performance.now();
      const res = await call(method, path, { key: asOperator ? ADMIN : key, body });
      return { res, ms: performance.now() - started };
    };
    let { res, ms } = await send();
    // A slow answer is sent again (up to 3 times): an input that is slow to
    // handle stays slow, a pause of the machine (GC, another process) does not.
    for (let again = 0; ms >= 100 && again < 3; again++) {
      tally.resent += 1;
      ({ res, ms } = await send());
    }
    tally.slowestMs = Math.max(tally.slowestMs, ms);
    const where = `${method} ${path} ${body.slice(0, 200)}`;
    expect(res.status, where).toBeLessThan(500);
    expect(ms, where).toBeLessThan(100);
    if (res.status >= 400) {
      tally.client += 1;
      expect(typeof res.body?.error?.code, where).toBe("string");
      expect(typeof res.body?.error?.message, where).toBe("string");
    } else tally.ok += 1;
    return res;
  };
}

const formulaText = fc.oneof(
  expr.map(printMinimal),
  fc.array(pieces, { maxLength: 40 }).map((p) => p.join("")),
  fc.string({ maxLength: 60, unit: "binary" }),
);

/** JSON that is almost right: valid shapes with one part swapped for garbage. */
const nearlyRight = fc.oneof(
  fc.record({ expr: fc.jsonValue(), vars: fc.jsonValue() }),
  fc.record({ expr: formulaText, rows: fc.array(fc.jsonValue(), { maxLength: 5 }) }),
  fc.record({ expr: formulaText, columns: fc.dictionary(fc.string(), fc.jsonValue()) }),
  fc.record({ name: fc.jsonValue(), every: fc.jsonValue(), observe: fc.jsonValue() }),
  fc.record({ spec: fc.jsonValue(), observations: fc.jsonValue() }),
  fc.record({
    spec: fc.record({ name: fc.string(), decide: fc.record({ rules: fc.jsonValue() }) }),
    observations: fc.array(fc.record({ at: fc.jsonValue(), values: fc.jsonValue() })),
  }),
  fc.record({ observations: fc.array(fc.record({ name: fc.jsonValue(), value: fc.jsonValue() })) }),
  fc.record({ tenant: fc.jsonValue(), scopes: fc.jsonValue() }),
  fc.jsonValue(),
);

const malformedText = fc.oneof(
  nearlyRight.map((v) => JSON.stringify(v) ?? "null"),
  fc.string({ maxLength: 200, unit: "binary" }),
  fc.string({ maxLength: 200 }).map((s) => `{"expr": ${s}`),
  fc.integer({ min: 1, max: 5000 }).map((n) => "[".repeat(n)),
  fc.constantFrom("", " ", "null", "{}", "[]", '{"__proto__":{"x":1}}', "1e999", '"\\ud800"'),
);

const ROUTES: [string, string, boolean?][] = [
  ["POST", "/v1/eval"],
  ["PUT", "/v1/formulas/fuzzed"],
  ["POST", "/v1/formulas/fuzzed/eval"],
  ["POST", "/v1/goals/simulate"],
  ["POST", "/v1/goals/g_00000000000000000000/observations"],
  ["POST", "/v1/keys", true],
];

describe("fuzzing the API", () => {
  it(`${FORMULAS} generated formulas through /v1/eval: a value or a 4xx, quickly`, async () => {
    const tally: Tally = { requests: 0, ok: 0, client: 0, resent: 0, slowestMs: 0 };
    const probe = prober(tally);
    const samples = fc.sample(fc.tuple(formulaText, vars), { numRuns: FORMULAS, seed: 4242 });
    for (const [source, inputs] of samples)
      await probe("POST", "/v1/eval", JSON.stringify({ expr: source, vars: inputs }));
    console.info(`fuzz formulas: ${JSON.stringify(tally)}`);
    expect(tally.requests).toBe(FORMULAS);
    // The generators reach both sides: some formulas evaluate, most are refused.
    expect(tally.ok).toBeGreaterThan(100);
    expect(tally.client).toBeGreaterThan(FORMULAS / 2);
  }, 240_000);

  it(`${BODIES} malformed bodies on every JSON route: always a 4xx envelope, quickly`, async () => {
    const tally: Tally = { requests: 0, ok: 0, client: 0, resent: 0, slowestMs: 0 };
    const probe = prober(tally);
    const samples = fc.sample(fc.tuple(fc.nat(ROUTES.length - 1), malformedText), {
      numRuns: BODIES,
      seed: 777,
    });
    for (const [route, body] of samples) {
      const [method, path, asOperator] = ROUTES[route] as [string, string, boolean?];
      await probe(method, path, body, asOperator);
    }
    console.info(`fuzz bodies: ${JSON.stringify(tally)}`);
    expect(tally.requests).toBe(BODIES);
    expect(tally.client).toBeGreaterThan(BODIES * 0.9);
  }, 240_000);
});
