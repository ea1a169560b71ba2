import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call } from "../helpers.ts";

/** The `src` of every `<script>` on the page. */
function scriptSources(page: string): string[] {
  return [...page.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1] ?? "");
}

describe("GET /docs", () => {
  it("is Scalar's API reference of /openapi.json, loading its script from this service", async () => {
    const res = await call("GET", "/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const page = res.body as string;
    expect(scriptSources(page)).toEqual(["/docs/scalar/standalone.js"]);
    expect(page).toContain(`"url": "/openapi.json"`);
    expect(page).toContain("Scalar.createApiReference('#app'");
  });

  it("names no CDN or other host: nothing on the page reaches off this origin", async () => {
    const page = (await call("GET", "/docs")).body as string;
    for (const cdn of ["jsdelivr", "unpkg", "cdn", "fonts.scalar.com", "proxy.scalar.com"]) {
      expect(page.toLowerCase(), cdn).not.toContain(cdn);
    }
    expect(page).not.toMatch(/https?:\/\//);
    // Scalar's defaults that would call out: fonts, the request proxy, its hosted assistant.
    expect(page).toContain(`"withDefaultFonts": false`);
    expect(page).toContain(`"proxyUrl": ""`);
    expect(page).toMatch(/"agent": \{\s*"disabled": true\s*\}/);
  });

  it("sends a CSP that runs only its own nonced scripts and connects only to this origin", async () => {
    const first = await call("GET", "/docs");
    const second = await call("GET", "/docs");
    const csp = first.headers.get("content-security-policy") ?? "";
    const nonce = /script-src 'nonce-([A-Za-z0-9+/=]+)'(;|$)/.exec(csp)?.[1];
    expect(nonce, csp).toBeDefined();
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    // Every script on the page carries this response's nonce, and the next response has another.
    const page = first.body as string;
    const scripts = [...page.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts).toHaveLength(2);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    expect(second.headers.get("content-security-policy")).not.toContain(`'nonce-${nonce}'`);
  });

  it("has its script served as a static asset: JavaScript, megabytes of it, cached for a day", async () => {
    const page = (await call("GET", "/docs")).body as string;
    const [src] = scriptSources(page);
    // The static assets answer this path before the Worker does; the binding reads them the same way.
    const res = await env.ASSETS.fetch(`http://faas.test${src}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^(text|application)\/javascript/);
    expect(res.headers.get("cache-control")).toBe("public, max-age=86400");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    const body = new Uint8Array(await res.arrayBuffer());
    expect(body.byteLength).toBeGreaterThan(1_000_000);
    expect(new TextDecoder().decode(body)).toContain("createApiReference");
  });

  it("publishes no other file: not the headers rules, not an unknown name (the API's 404)", async () => {
    for (const path of ["/_headers", "/docs/scalar/nothing.js", "/docs/scalar/"]) {
      expect((await env.ASSETS.fetch(`http://faas.test${path}`)).status, path).toBe(404);
    }
    const viaWorker = await call("GET", "/docs/scalar/nothing.js");
    expect(viaWorker.status).toBe(404);
    expect(viaWorker.body.error.code).toBe("NOT_FOUND");
  });
});
