/**
 * `npm run check:docs`: the API reference as a browser gets it from a real
 * `wrangler dev`, where the static assets answer before the Worker does (the
 * routing vitest cannot show: its tests call the Worker directly). Fetches
 * /docs, then every script it names, and fails unless each comes from this
 * origin as JavaScript and the page names no CDN.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startRuntime } from "../bench/runtime.ts";

const failures: string[] = [];
const expect = (ok: boolean, what: string) => {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures.push(what);
};

const persist = mkdtempSync(join(tmpdir(), "check-docs-"));
const runtime = await startRuntime({ persist, vars: { ADMIN_TOKEN: "check-docs" } });
try {
  const page = await fetch(`${runtime.base}/docs`);
  const html = await page.text();
  expect(page.status === 200, `GET /docs is 200 (${page.status})`);
  expect(/^text\/html/.test(page.headers.get("content-type") ?? ""), "GET /docs is HTML");
  expect(html.includes(`"url": "/openapi.json"`), "the reference reads /openapi.json");
  expect(!/jsdelivr|unpkg|cdn/i.test(html), "the page names no CDN");
  expect(!/https?:\/\//.test(html), "the page holds no absolute URL");
  const sources = [...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1] ?? "");
  expect(sources.length > 0, `the page loads a script (${sources.join(", ")})`);
  for (const src of sources) {
    expect(src.startsWith("/") && !src.startsWith("//"), `${src} is on this origin`);
    const script = await fetch(new URL(src, runtime.base));
    const bytes = (await script.arrayBuffer()).byteLength;
    expect(script.status === 200, `GET ${src} is 200 (${script.status})`);
    const type = script.headers.get("content-type") ?? "";
    expect(/^(text|application)\/javascript/.test(type), `GET ${src} is JavaScript (${type})`);
    expect(bytes > 1_000_000, `GET ${src} is the whole bundle (${bytes} bytes)`);
    const cache = script.headers.get("cache-control") ?? "";
    expect(/max-age=[1-9]/.test(cache), `GET ${src} may be cached (${cache})`);
  }
  const document = await fetch(`${runtime.base}/openapi.json`);
  expect(document.status === 200, "GET /openapi.json is 200");
  const body = (await document.json()) as { openapi?: unknown };
  expect(typeof body.openapi === "string", "GET /openapi.json is OpenAPI");
} finally {
  await runtime.stop();
  rmSync(persist, { recursive: true, force: true });
}
if (failures.length > 0) {
  console.error(`check:docs: ${failures.length} failed`);
  process.exit(1);
}
console.log("check:docs: all passed");
