/**
 * A typed client of the Agentic FaaS API: openapi-fetch over the types that
 * openapi-typescript generates from the service's own OpenAPI document
 * (schema.d.ts; `npm run openapi:types` regenerates it, `npm run
 * check:openapi` fails when it is stale). Paths, parameters, bodies and
 * responses, errors included, are checked at compile time:
 *
 *   const faas = createFaasClient("https://faas.example.com", process.env.FAAS_KEY);
 *   const { data, error } = await faas.POST("/v1/eval", { body: { expr: "a + b", vars: { a: 1, b: 2 } } });
 *   if (error) throw new Error(error.error.code); // the error envelope, typed
 *   if ("value" in data) data.value; // (rows and columns answer `values`)
 */
import createClient, { type Client, type ClientOptions } from "openapi-fetch";
import type { paths } from "./schema.d.ts";

export type { components, operations, paths } from "./schema.d.ts";

/** The client `createFaasClient` returns: GET, POST, PUT, DELETE over the API's paths. */
export type FaasClient = Client<paths>;

/**
 * A client of the service at `baseUrl` that sends `apiKey` as its bearer
 * token (an API key; for /ingest routes, the goal's ingest secret).
 * `options.fetch` replaces the global fetch (e.g. a Worker's service binding).
 */
export function createFaasClient(
  baseUrl: string,
  apiKey: string,
  options: Pick<ClientOptions, "fetch"> = {},
): FaasClient {
  return createClient<paths>({
    ...options,
    baseUrl,
    headers: { authorization: `Bearer ${apiKey}` },
  });
}
