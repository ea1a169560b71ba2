/**
 * A plain HTML page listing every route with its scope, linked to the
 * OpenAPI document, for people reading in a browser.
 */
import { html, raw } from "hono/html";
import type { RouteSpec } from "./route.ts";

export function docsPage(routes: readonly RouteSpec[]) {
  const rows = routes.map(
    (r) =>
      html`<tr><td><code>${r.method.toUpperCase()}</code></td><td><code>${r.path}</code></td><td>${r.summary}</td><td><code>${r.scope ?? ""}</code></td></tr>`,
  );
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Agentic FaaS API</title>
<style>body{font:15px system-ui,sans-serif;margin:2rem;max-width:70rem}td{padding:.3rem .6rem;border-bottom:1px solid #ddd;vertical-align:top}</style></head>
<body><h1>Agentic FaaS API v1</h1>
<p>Every <code>/v1</code> route needs <code>Authorization: Bearer KEY</code>. Errors are <code>{"error": {"code", "message", "details"}}</code>.
The machine-readable document is <a href="/openapi.json">/openapi.json</a>.</p>
<table><thead><tr><th>Method</th><th>Path</th><th>What</th><th>Scope</th></tr></thead><tbody>${raw(rows.join(""))}</tbody></table>
</body></html>`;
}
