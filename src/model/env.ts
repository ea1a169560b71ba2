/**
 * The deployment's model settings, all optional: OPENAI_BASE_URL (a var,
 * empty: no endpoint), OPENAI_API_KEY (a secret) and the `AI` binding
 * (Workers AI). Read by name, so a deployment that adds the binding or makes
 * the secret required (and `wrangler types` then types them) needs no change here.
 */
export interface ModelEnv {
  OPENAI_BASE_URL?: string;
  OPENAI_API_KEY?: string;
  AI?: unknown;
}

/** The model settings of `env`. */
export function modelEnv(env: Env): ModelEnv {
  return env as unknown as ModelEnv;
}
