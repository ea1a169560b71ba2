/**
 * The Prometheus check (`npm run check:metrics`): starts `wrangler dev` on a
 * fresh state, makes traffic for two tenants (evaluations, a 4xx, a goal whose
 * rule fires a webhook at a local receiver, with a hostile name), scrapes
 * `GET /v1/metrics` in the Prometheus text form and hands it to `promtool check
 * metrics` (Debian package `prometheus`), failing on any problem it prints.
 * Then it checks what promtool cannot: the content type, the expected
 * families, a counter that grew between two scrapes, histograms whose `_count`
 * is their `+Inf` bucket, a tenant that sees none of another's series, and
 * the JSON form still answering. CHECK_METRICS_SHOW=1 prints the first scrape.
 */
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { api, migratedState, startRuntime } from "../../bench/runtime.ts";
import { startReceiver } from "../webhook-receiver.ts";

const ADMIN = "metrics-check-admin-token";
const TIME_LIMIT_MS = 150_000;
const PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
/** Families the traffic below must have produced. */
const EXPECTED = [
  "faas_http_requests_total",
  "faas_http_request_duration_seconds",
  "faas_goal_cycles_total",
  "faas_goal_cycle_duration_seconds",
  "faas_goal_actions_sent_total",
  "faas_actions_completed_total",
  "faas_action_duration_seconds",
  "faas_goal_info",
];
const HOSTILE_NAME = 'say "hi" \\ then\nnext line';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const problems = new Set<string>();
const fail = (message: string) => problems.add(message);

setTimeout(() => {
  console.error(`check:metrics: FAIL, not done within ${TIME_LIMIT_MS / 1000} s`);
  process.exit(1); // the exit handler of bench/runtime.ts kills the runtime
}, TIME_LIMIT_MS).unref();

async function scrape(base: string, key: string): Promise<string> {
  const res = await fetch(`${base}/v1/metrics`, {
    headers: { authorization: `Bearer ${key}`, accept: "text/plain" },
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET /v1/metrics: ${res.status} ${text}`);
  const type = res.headers.get("content-type");
  if (type !== PROMETHEUS_TEXT) fail(`content-type is ${type}, not ${PROMETHEUS_TEXT}`);
  return text;
}

/** `promtool check metrics` on the text: its output, empty when it has nothing to say. */
function promtool(text: string): string {
  const run = spawnSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8" });
  if (run.error) throw new Error(`promtool: ${run.error.message} (apt-get install -y prometheus)`);
  const said = `${run.stdout}${run.stderr}`.trim();
  return run.status === 0 ? said : `${said}\n(exit status ${run.status})`.trim();
}

/** Sum of a family's samples (`name{...} value` or `name value`) matching `labels`. */
function total(text: string, name: string, labels = ""): number {
  let sum = 0;
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (labels !== "" && !line.includes(labels)) continue;
    sum += Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return sum;
}

async function main() {
  if (spawnSync("promtool", ["--version"]).error) {
    console.error("check:metrics: promtool is missing (apt-get install -y prometheus)");
    process.exit(1);
  }
  const persist = migratedState("metrics-check-");
  const rx = await startReceiver();
  const dev = await startRuntime({
    persist,
    vars: { ADMIN_TOKEN: ADMIN, ALLOW_PRIVATE_TARGETS: "true", LOG_LEVEL: "warn" },
    output: ["ignore", "inherit"],
  });
  const { base } = dev;
  try {
    const scopes = ["formulas:read", "goals:read", "goals:write", "observe"];
    const a = (await api(base, ADMIN, "POST", "/v1/keys", { tenant: "metrics-a", scopes })).key;
    const b = (await api(base, ADMIN, "POST", "/v1/keys", { tenant: "metrics-b", scopes })).key;

    for (let i = 0; i < 5; i++)
      await api(base, a, "POST", "/v1/eval", { expr: "x * 2", vars: { x: i } });
    await api(base, b, "POST", "/v1/eval", { expr: "1 + 1", vars: {} });
    const missing = await fetch(`${base}/v1/goals/no-such-goal`, {
      headers: { authorization: `Bearer ${a}` },
    });
    if (missing.status !== 404) fail(`an unknown goal answered ${missing.status}, not 404`);

    const goal = await api(base, a, "POST", "/v1/goals", {
      name: HOSTILE_NAME,
      every: "1h",
      observe: { x: { from: "push" } },
      decide: { rules: [{ id: "changed", when: "x > 0", do: "hook" }] },
      act: { hook: { webhook: `${rx.url}/hook`, body: { x: "=x" } } },
    });
    await api(base, a, "POST", `/v1/goals/${goal.id}/observations`, { name: "x", value: 1 });
    // The action's outcome is counted by the queue consumer; wait for it to show.
    let first = "";
    for (let i = 0; i < 60; i++) {
      first = await scrape(base, a);
      if (total(first, "faas_actions_completed_total") >= 1 && rx.deliveries.length >= 1) break;
      await sleep(500);
    }

    const said = promtool(first);
    if (said !== "") fail(`promtool check metrics:\n${said}`);
    for (const family of EXPECTED) {
      if (!first.includes(`# HELP ${family} `)) fail(`no HELP for ${family}`);
      if (!first.includes(`# TYPE ${family} `)) fail(`no TYPE for ${family}`);
    }
    if (total(first, "faas_actions_completed_total", 'outcome="ok"') < 1)
      fail("the webhook's outcome is not counted");
    if (!first.includes(`goal="${goal.id}"`)) fail("no series labelled with the goal");
    if (!first.includes('name="say \\"hi\\" \\\\ then\\nnext line"'))
      fail("the goal's hostile name is not escaped as the exposition format says");
    for (const histogram of [
      "faas_http_request_duration_seconds",
      "faas_goal_cycle_duration_seconds",
      "faas_action_duration_seconds",
    ]) {
      const inf = total(first, `${histogram}_bucket`, 'le="+Inf"');
      const count = total(first, `${histogram}_count`);
      if (inf < 1 || inf !== count) fail(`${histogram}: +Inf bucket ${inf}, _count ${count}`);
    }

    const requests = total(first, "faas_http_requests_total");
    await api(base, a, "POST", "/v1/eval", { expr: "1", vars: {} });
    const second = await scrape(base, a);
    if (promtool(second) !== "") fail("promtool: the second scrape has problems");
    const after = total(second, "faas_http_requests_total");
    if (!(after > requests)) fail(`faas_http_requests_total did not grow: ${requests} → ${after}`);

    const other = await scrape(base, b);
    if (promtool(other) !== "") fail("promtool: tenant B's scrape has problems");
    if (other.includes("metrics-a") || other.includes(goal.id))
      fail("tenant B's metrics show tenant A's series");
    if (!other.includes('tenant="metrics-b"')) fail("tenant B's metrics do not show its own");

    const json = await api(base, a, "GET", "/v1/metrics");
    if (json?.window !== "5m" || !(json.metrics["http.requests"] >= 1))
      fail(`the JSON form changed: ${JSON.stringify(json)}`);

    if (problems.size > 0 || process.env.CHECK_METRICS_SHOW === "1")
      console.error(`the first scrape:\n${first}`);
  } finally {
    await dev.stop();
    await rx.close();
    rmSync(persist, { recursive: true, force: true });
  }
  if (problems.size > 0) {
    console.error(`check:metrics: FAIL\n- ${[...problems].join("\n- ")}`);
    process.exit(1);
  }
  console.log("check:metrics: OK (promtool check metrics found no problem)");
}

await main();
