/**
 * Keys for the limits project, written straight to D1: creating them through
 * the API would spend the operator's low rate limit in this project.
 */
import { env } from "cloudflare:workers";
import { generateKey, generateKeyId, hashKey, keyPrefix } from "../../src/auth/keys.ts";
import { database } from "../../src/db/client.ts";
import { insertKey } from "../../src/db/keys.ts";
import { uniqueTenant } from "../helpers.ts";

const ALL = [
  "goals:read",
  "goals:write",
  "observe",
  "records:read",
  "records:write",
  "formulas:read",
  "formulas:write",
];

/** `n` keys of one fresh tenant (or of `tenant`), each with every non-admin scope unless told. */
export async function tenantKeys(
  n: number,
  options: { tenant?: string; scopes?: string[] } = {},
): Promise<string[]> {
  const tenant = options.tenant ?? uniqueTenant("lim");
  const keys: string[] = [];
  for (let i = 0; i < n; i++) {
    const key = generateKey();
    await insertKey(
      database(env),
      {
        id: generateKeyId(),
        tenant,
        name: null,
        scopes: options.scopes ?? ALL,
        hash: await hashKey(key),
        prefix: keyPrefix(key),
        createdAt: Date.now(),
        revokedAt: null,
      },
      Number.MAX_SAFE_INTEGER,
    );
    keys.push(key);
  }
  return keys;
}
