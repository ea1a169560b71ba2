/**
 * Tenants and scopes: what a caller is and what it may do.
 */
import { z } from "zod";

/** Every scope a key can carry. `admin` implies all the others within its tenant. */
export const SCOPES = [
  "formulas:read",
  "formulas:write",
  "goals:read",
  "goals:write",
  "observe",
  "records:read",
  "records:write",
  "admin",
] as const;

export type Scope = (typeof SCOPES)[number];

export const scopeSchema = z.enum(SCOPES);

/** Tenant ids: short, lowercase, URL- and log-safe. */
export const tenantSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_-]{0,62}$/,
    "a tenant is 1-63 of a-z 0-9 _ -, starting with a letter or digit",
  );

/** The tenant the operator's ADMIN_TOKEN acts on. */
export const DEFAULT_TENANT = "default";

/** The key id ADMIN_TOKEN goes by: not a stored key, so never revoked. */
export const OPERATOR_KEY_ID = "operator";

/** Who is calling: resolved once per request by the auth middleware. */
export interface Principal {
  tenant: string;
  scopes: readonly Scope[];
  /** The key's id, or "operator" for ADMIN_TOKEN. */
  keyId: string;
  /** The key's name as created (null when it has none); "operator" for ADMIN_TOKEN. */
  keyName: string | null;
  /** True only for ADMIN_TOKEN: may manage keys of every tenant. */
  operator: boolean;
}

/** Whether the principal may act with `scope`. */
export function hasScope(principal: { readonly scopes: readonly string[] }, scope: Scope): boolean {
  return principal.scopes.includes(scope) || principal.scopes.includes("admin");
}
