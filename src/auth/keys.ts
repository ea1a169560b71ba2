/**
 * API key material: generation, hashing and constant-time comparison.
 * Keys carry 192 random bits, so a plain SHA-256 is a sufficient one-way hash
 * (no slow KDF is needed for high-entropy secrets) and allows lookup by hash.
 */

const KEY_PREFIX = "afk_";

/** Bytes as standard base64 (with padding). */
export function base64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function base64url(bytes: Uint8Array): string {
  return base64(bytes).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** Bytes as lowercase hex. */
export function hex(bytes: ArrayBuffer | Uint8Array): string {
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A fresh secret key, shown to its owner once. */
export function generateKey(): string {
  return KEY_PREFIX + base64url(crypto.getRandomValues(new Uint8Array(24)));
}

/** The form of a public key id (`generateKeyId`). */
export const KEY_ID = /^key_[0-9a-f]{16}$/;

/** A fresh public key id. */
export function generateKeyId(): string {
  return `key_${hex(crypto.getRandomValues(new Uint8Array(8)).buffer)}`;
}

/** Hex SHA-256 of a string's UTF-8 bytes. */
export async function sha256Hex(text: string): Promise<string> {
  return hex(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

/** The stored form of a key: hex SHA-256. */
export function hashKey(key: string): Promise<string> {
  return sha256Hex(key);
}

/** The part of a key that may be shown again (list views, logs never). */
export function keyPrefix(key: string): string {
  return key.slice(0, KEY_PREFIX.length + 4);
}

/**
 * Compares two secrets in time independent of where they differ, by comparing
 * their digests (equal length) with the runtime's timing-safe comparison.
 */
export async function secretsEqual(a: string, b: string): Promise<boolean> {
  const enc = new TextEncoder();
  const [da, db] = await Promise.all([
    crypto.subtle.digest("SHA-256", enc.encode(a)),
    crypto.subtle.digest("SHA-256", enc.encode(b)),
  ]);
  return crypto.subtle.timingSafeEqual(da, db);
}
