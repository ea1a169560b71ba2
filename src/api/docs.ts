/**
 * The API reference at /docs: Scalar's page, rendered in the browser from
 * /openapi.json. Its script is this Worker's own static asset (public/docs/,
 * copied from node_modules by scripts/docs-assets.ts), never a CDN, and the
 * page's Content-Security-Policy lets it load and call nothing but this
 * origin: no fonts, telemetry, request proxy or hosted assistant elsewhere.
 */
import { Scalar } from "@scalar/hono-api-reference";
import type { MiddlewareHandler } from "hono";
import { base64 } from "../auth/keys.ts";
import type { AppEnv } from "./context.ts";

/** Where the static assets serve Scalar's browser bundle; keep scripts/docs-assets.ts in step. */
export const SCALAR_BUNDLE_PATH = "/docs/scalar/standalone.js";

/** Scalar's settings that keep the page offline and to this origin. */
const REFERENCE = {
  pageTitle: "Agentic FaaS API",
  url: "/openapi.json",
  // A `cdn` URL selects the single-file bundle: nothing else to fetch, and one nonce covers it.
  cdn: SCALAR_BUNDLE_PATH,
  // The defaults would fetch fonts from fonts.scalar.com, send "Try it" requests through
  // proxy.scalar.com (with the caller's key) and, on localhost, open Scalar's hosted assistant.
  withDefaultFonts: false,
  proxyUrl: "",
  telemetry: false,
  agent: { disabled: true },
};

/**
 * Only this page's two scripts (the bundle and its start call, both carrying
 * the nonce) run; requests go to this origin only. Styles stay open to inline
 * use: the bundle injects its stylesheet and sets style attributes at runtime.
 * Its "Try it" client calls this origin, so it needs no proxy.
 */
function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    // blob: for the API client's previews of binary response bodies.
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** A fresh 128-bit nonce, base64. */
function newNonce(): string {
  return base64(crypto.getRandomValues(new Uint8Array(16)));
}

/** GET /docs: the API reference page, with a per-response nonce in its CSP. */
export function apiReference(): MiddlewareHandler<AppEnv> {
  return async function docsPage(c, next) {
    const nonce = newNonce();
    c.header("Content-Security-Policy", contentSecurityPolicy(nonce));
    return Scalar<AppEnv>({ ...REFERENCE, nonce })(c, next);
  };
}
