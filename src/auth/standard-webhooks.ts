/**
 * Standard Webhooks (standardwebhooks.com), the signature OpenAI, Anthropic,
 * Supabase, Svix and Twilio use: headers `webhook-id`, `webhook-timestamp`
 * (Unix seconds) and `webhook-signature`, space-separated `v1,<base64>`
 * entries, each the HMAC-SHA256 of `${id}.${timestamp}.${body}` by one secret.
 *
 * The HMAC key is what the reference libraries derive from a secret string:
 * for `whsec_<base64>` the decoded bytes, so `new Webhook(secret)` from the
 * `standardwebhooks` package verifies; for any other string (the `ingest_…`
 * secrets made before these) its bytes as written, which is that package's
 * `new Webhook(secret, { format: "raw" })`. WebCrypto computes it here (the
 * package's pure-JS SHA-256 costs ~10× the CPU on a large body); the tests
 * sign with the package and verify here, and the other way round.
 */

import { base64 } from "./keys.ts";

export const ID_HEADER = "webhook-id";
export const TIMESTAMP_HEADER = "webhook-timestamp";
export const SIGNATURE_HEADER = "webhook-signature";
/** How far a signed request's timestamp may be from now, either way (the package's tolerance). */
export const TOLERANCE_S = 300;
/** At most this many `v1,` entries of one header are tried. */
const MAX_CANDIDATES = 8;
const PREFIX = "whsec_";
/** The base64 of 32 bytes (an HMAC-SHA256). */
const BASE64_HMAC = /^[A-Za-z0-9+/]{43}=$/;

const NO_MATCH = `no ${SIGNATURE_HEADER} entry matches (another secret, or another id, timestamp or body)`;

const encoder = new TextEncoder();

/** Standard base64 decoded, or undefined when it is not base64. */
function unbase64(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return undefined;
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/** Fresh secrets are made where they are stored (the store sits below this module). */
export { generateSecret } from "../db/secrets.ts";

/** The HMAC key bytes of a secret, as the reference libraries derive them. */
export function keyBytes(secret: string): Uint8Array {
  if (secret.startsWith(PREFIX)) {
    const decoded = unbase64(secret.slice(PREFIX.length));
    if (decoded !== undefined && decoded.length > 0) return decoded;
  }
  return encoder.encode(secret);
}

async function hmac(secret: string, content: string): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey(
    "raw",
    keyBytes(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(content)));
}

/** The headers of one outbound delivery, signed by every secret given (the current one first). */
export async function standardHeaders(
  id: string,
  secrets: readonly string[],
  body: string,
  nowMs: number,
): Promise<Record<string, string>> {
  const timestamp = Math.floor(nowMs / 1000);
  const content = `${id}.${timestamp}.${body}`;
  const signatures = await Promise.all(secrets.map(async (s) => base64(await hmac(s, content))));
  return {
    [ID_HEADER]: id,
    [TIMESTAMP_HEADER]: String(timestamp),
    [SIGNATURE_HEADER]: signatures.map((s) => `v1,${s}`).join(" "),
  };
}

/** The three headers as a request carried them (absent: undefined). */
export interface StandardHeaders {
  id: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
}

export type StandardVerification =
  | { ok: true; id: string }
  | { ok: false; header: string; reason: string };

/**
 * Checks a request signed the Standard Webhooks way by `secret`: all three
 * headers, the timestamp within TOLERANCE_S of now, one `v1,` entry equal
 * to the HMAC (compared in constant time). The failure names the header at
 * fault; it never includes the secret or a signature.
 */
export async function verifyStandard(
  secret: string,
  headers: StandardHeaders,
  body: string,
  nowMs: number,
): Promise<StandardVerification> {
  const fail = (header: string, reason: string) => ({ ok: false as const, header, reason });
  const { id, timestamp, signature } = headers;
  if (!id) return fail(ID_HEADER, `${ID_HEADER} is missing`);
  if (!timestamp) return fail(TIMESTAMP_HEADER, `${TIMESTAMP_HEADER} is missing`);
  if (!signature) return fail(SIGNATURE_HEADER, `${SIGNATURE_HEADER} is missing`);
  if (!/^\d{1,12}$/.test(timestamp))
    return fail(TIMESTAMP_HEADER, `${TIMESTAMP_HEADER} must be Unix seconds`);
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > TOLERANCE_S)
    return fail(TIMESTAMP_HEADER, `${TIMESTAMP_HEADER} is more than ${TOLERANCE_S} s from now`);
  // Compared as the package compares them: the base64 text, so one signature has one spelling.
  const candidates = signature
    .split(" ")
    .map((entry) => (entry.startsWith("v1,") ? entry.slice(3) : ""))
    .filter((text) => BASE64_HMAC.test(text))
    .slice(0, MAX_CANDIDATES);
  if (candidates.length === 0)
    return fail(SIGNATURE_HEADER, `${SIGNATURE_HEADER} must hold v1,<base64 HMAC-SHA256>`);
  // The timestamp is signed as a number, as the package does after parsing it.
  const expected = encoder.encode(base64(await hmac(secret, `${id}.${Number(timestamp)}.${body}`)));
  let matched = false;
  for (const candidate of candidates)
    if (crypto.subtle.timingSafeEqual(encoder.encode(candidate), expected)) matched = true;
  return matched ? { ok: true, id } : fail(SIGNATURE_HEADER, NO_MATCH);
}
