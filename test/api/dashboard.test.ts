import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

/**
 * The dashboard at / as the static assets serve it (they answer before the
 * Worker; the binding reads them the same way). Its pages are checked in a
 * browser by `npm run test:e2e`.
 */
const get = (path: string) => env.ASSETS.fetch(`http://faas.test${path}`);

describe("the dashboard at /", () => {
  it("is the page, loading its script and style from this service only", async () => {
    const res = await get("/");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const page = await res.text();
    expect(page).toContain('<script type="module" src="/app/app.js"></script>');
    expect(page).toContain('<link rel="stylesheet" href="/app/app.css" />');
    expect(page).not.toMatch(/https?:\/\//);
    // No inline script or style: the CSP allows neither.
    expect(page).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(page).not.toMatch(/<style|\sstyle=/);
  });

  it("is sent with a CSP that allows only this origin, and no referrer", async () => {
    const res = await get("/");
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("connect-src 'self';");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("cache-control")).toBe("no-cache");
  });

  it("has its bundle as static assets, with Preact and uPlot inside", async () => {
    const script = await get("/app/app.js");
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toMatch(/^(text|application)\/javascript/);
    expect(script.headers.get("cache-control")).toBe("no-cache");
    const code = await script.text();
    expect(code).toContain("/v1/me");
    expect(code).not.toMatch(/\bimport\s*\(?\s*["']https?:/);
    const style = await get("/app/app.css");
    expect(style.status).toBe(200);
    expect(style.headers.get("content-type")).toMatch(/^text\/css/);
    expect(await style.text()).toContain(".uplot");
  });
});
