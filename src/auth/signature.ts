/**
 * The service's first signature scheme, deprecated for Standard Webhooks
 * (`standard-webhooks.ts`) and kept beside it until 2027-06-30: HMAC-SHA256
 * over `${timestamp}.${body}`, keyed by the secret string as written (whatever
 * its form), on outbound webhooks by the goal's signing secret and on inbound
 * observations by its ingest secret.
 *
 * Headers: `X-Faas-Timestamp` (Unix seconds) and `X-Faas-Signature`
 * (`v1=<hex>`, several comma-separated during a secret rotation).
 */

import { hex } from "./keys.ts";

export const TIMESTAMP_HEADER = "x-faas-timestamp";
export const SIGNATURE_HEADER = "x-faas-signature";
/** How far a signed request's timestamp may be from now, either way. */
export const REPLAY_WINDOW_S = 300;

const encoder = new TextEncoder();

async function hmacKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign", "verify"],
  );
}

/** The hex HMAC-SHA256 of `${timestamp}.${body}` under `secret`. */
export async function sign(secret: string, timestamp: number, body: string): Promise<string> {
  const key = await hmacKey(secret);
  return hex(await crypto.subtle.sign("HMAC", key, encoder.encode(`${timestamp}.${body}`)));
}

/** The signature headers of one outbound request, signed by every secret given. */
export async function signatureHeaders(
  secrets: readonly string[],
  body: string,
  nowMs: number,
): Promise<Record<string, string>> {
  const timestamp = Math.floor(nowMs / 1000);
  const signatures = await Promise.all(secrets.map((s) => sign(s, timestamp, body)));
  return {
    [TIMESTAMP_HEADER]: String(timestamp),
    [SIGNATURE_HEADER]: signatures.map((s) => `v1=${s}`).join(","),
  };
}

export type Verification = { ok: true; signature: string } | { ok: false; reason: string };

/**
 * Checks a signed request: the timestamp within the replay window and one of
 * the `v1=` signatures valid for `secret` (compared in constant time by the
 * runtime's HMAC verify). Reasons never include the secret or a signature.
 */
export async function verifySignature(
  secret: string,
  timestampHeader: string | undefined,
  signatureHeader: string | undefined,
  body: string,
  nowMs: number,
): Promise<Verification> {
  if (!timestampHeader || !/^\d{1,12}$/.test(timestampHeader))
    return { ok: false, reason: `${TIMESTAMP_HEADER} must be Unix seconds` };
  const timestamp = Number(timestampHeader);
  if (Math.abs(nowMs / 1000 - timestamp) > REPLAY_WINDOW_S)
    return { ok: false, reason: `the timestamp is outside the ${REPLAY_WINDOW_S} s window` };
  const candidates = (signatureHeader ?? "")
    .split(",")
    .map((part) => part.trim().match(/^v1=([0-9a-f]{64})$/i)?.[1])
    .filter((s): s is string => s !== undefined)
    .slice(0, 4);
  if (candidates.length === 0)
    return { ok: false, reason: `${SIGNATURE_HEADER} must hold v1=<hex HMAC-SHA256>` };
  const key = await hmacKey(secret);
  const data = encoder.encode(`${timestamp}.${body}`);
  for (const candidate of candidates) {
    const bytes = new Uint8Array(candidate.match(/../g)?.map((h) => Number.parseInt(h, 16)) ?? []);
    if (await crypto.subtle.verify("HMAC", key, bytes, data))
      return { ok: true, signature: candidate.toLowerCase() };
  }
  return { ok: false, reason: "no signature matches" };
}
