/**
 * The dashboard's one way to the service: the public /v1 API with the
 * signed-in key as a bearer token. The key lives in this tab's session
 * storage only (gone when the tab closes), never in a URL, never logged.
 * A 401 signs out, so the page goes back to the sign-in form.
 */

const STORAGE_KEY = "agentic-faas.key";

export const session = {
  key: (): string | null => sessionStorage.getItem(STORAGE_KEY),
  signIn: (key: string) => sessionStorage.setItem(STORAGE_KEY, key),
  signOut: () => {
    sessionStorage.removeItem(STORAGE_KEY);
    window.dispatchEvent(new Event("signed-out"));
  },
};

/** An issue of a 422 (`details.issues`), with the formula position and hint when it has them. */
export interface Issue {
  path?: string;
  code?: string;
  message: string;
  position?: { offset: number; line: number; column: number };
  hint?: string;
}

/** The service's error envelope, thrown for every non-2xx answer. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }

  get issues(): Issue[] {
    const issues = this.details.issues;
    return Array.isArray(issues) ? (issues as Issue[]) : [];
  }
}

/** Calls the API; resolves the JSON body (null when empty), throws ApiError otherwise. */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  return apiWith<T>(session.key() ?? "", method, path, body);
}

/** The same with a given key (the sign-in form checks a key before keeping it). */
export async function apiWith<T>(
  key: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const headers: Record<string, string> = { authorization: `Bearer ${key}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? null : JSON.stringify(body),
      cache: "no-store",
      credentials: "omit",
    });
  } catch {
    throw new ApiError(0, "NETWORK", "the service did not answer");
  }
  const text = await res.text();
  const json: unknown = text === "" ? null : safeParse(text);
  if (res.ok) return json as T;
  const error = (json as { error?: { code?: string; message?: string; details?: unknown } } | null)
    ?.error;
  const failure = new ApiError(
    res.status,
    error?.code ?? `HTTP_${res.status}`,
    error?.message ?? `${method} ${path} answered ${res.status}`,
    (error?.details as Record<string, unknown> | undefined) ?? {},
  );
  if (res.status === 401 && key === session.key()) session.signOut();
  throw failure;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export type Scope = "goals:read" | "goals:write" | "formulas:read" | "formulas:write" | "observe";

/** Who the key is (`GET /v1/me`). */
export interface Me {
  tenant: string;
  key_id: string;
  name: string | null;
  scopes: string[];
  operator: boolean;
}

/** True when the key may do what `scope` allows (`admin` allows everything). */
export function can(me: Me, scope: Scope): boolean {
  return me.operator || me.scopes.includes("admin") || me.scopes.includes(scope);
}

/** Reads who a key is; checks the key on the way (401 for a wrong one). */
export function whoAmI(key: string): Promise<Me> {
  return apiWith<Me>(key, "GET", "/v1/me");
}
