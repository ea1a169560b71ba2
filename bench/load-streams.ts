/**
 * The load test's streams (bench/load.ts): one autocannon request per kind of
 * traffic, each rotating over the API keys (one per tenant), and the figures of one run.
 */
import autocannon from "autocannon";

export interface Stream {
  name: string;
  /** The status every response should have. */
  expect: number;
  request: autocannon.Request;
}

/** A request rotating over the keys (and whatever `vary` changes per request). */
function rotating(
  keys: string[],
  base: autocannon.Request,
  vary: (n: number) => Partial<autocannon.Request> = () => ({}),
): autocannon.Request {
  let n = 0;
  return {
    ...base,
    setupRequest: (req) => {
      n++;
      const headers = { ...req.headers, authorization: `Bearer ${keys[n % keys.length]}` };
      return { ...req, ...vary(n), headers };
    },
  };
}

/** A goal of the load, with a key of its tenant. */
export interface Goal {
  id: string;
  key: string;
}

export function streams(keys: string[], goals: Goal[]): Stream[] {
  const json = { "content-type": "application/json" };
  return [
    { name: "GET /healthz (trivial)", expect: 200, request: { method: "GET", path: "/healthz" } },
    {
      name: "GET /v1/load-baseline (auth only, 404)",
      expect: 404,
      request: rotating(keys, { method: "GET", path: "/v1/load-baseline" }),
    },
    {
      name: "POST /v1/eval",
      expect: 200,
      request: rotating(keys, { method: "POST", path: "/v1/eval", headers: json }, (n) => ({
        body: JSON.stringify({ expr: "a*x^2 + b*x + c", vars: { a: 1, b: 2, c: 3, x: n % 97 } }),
      })),
    },
    {
      name: "GET /v1/formulas/:name/eval",
      expect: 200,
      request: rotating(keys, { method: "GET" }, (n) => ({
        path: `/v1/formulas/monthly_payment/eval?principal=${100_000 + (n % 1000)}&rate=0.05`,
      })),
    },
    {
      name: "POST /v1/goals/:id/observations",
      expect: 202,
      // Keys in the goals' order: push n goes to goal n with its own tenant's key.
      request: rotating(
        goals.map((g) => g.key),
        { method: "POST", headers: json },
        (n) => ({
          path: `/v1/goals/${goals[n % goals.length]?.id}/observations`,
          body: JSON.stringify({ name: "x", value: n % 100 }),
        }),
      ),
    },
  ];
}

export interface Figures {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  responses: number;
  errors: number;
  limited: number;
}

export function figures(stream: Stream, result: autocannon.Result): Figures {
  let responses = 0;
  let unexpected = 0;
  let limited = 0;
  for (const [status, { count = 0 }] of Object.entries(result.statusCodeStats ?? {})) {
    responses += count;
    if (Number(status) === 429) limited += count;
    else if (Number(status) !== stream.expect) unexpected += count;
  }
  return {
    name: stream.name,
    rps: responses / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    responses,
    errors: unexpected + result.errors + result.mismatches,
    limited,
  };
}

export function run(base: string, all: Stream[], seconds: number, connections: number) {
  return Promise.all(
    all.map((stream) =>
      autocannon({
        url: base,
        connections,
        duration: seconds,
        timeout: 20,
        requests: [stream.request],
      }),
    ),
  );
}

const col = (s: string | number, width: number) => String(s).padStart(width);

/** Prints one table row per stream. */
export function printTable(title: string, rows: Figures[]): void {
  console.log(`\n${title}`);
  console.log(
    `  ${"stream".padEnd(40)}${col("req/s", 8)}${col("p50 ms", 8)}${col("p99 ms", 8)}${col("responses", 11)}${col("errors", 8)}${col("429", 6)}`,
  );
  for (const r of rows)
    console.log(
      `  ${r.name.padEnd(40)}${col(r.rps.toFixed(0), 8)}${col(r.p50, 8)}${col(r.p99, 8)}${col(r.responses, 11)}${col(r.errors, 8)}${col(r.limited, 6)}`,
    );
}
