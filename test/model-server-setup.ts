/**
 * Global setup (runs in Node): a local server that speaks the OpenAI
 * chat-completions protocol, for model-assisted decide. No model runs on
 * these machines; this server checks each request as the API would (method,
 * path, bearer key, JSON body: `model`, `messages`, the one strict
 * `choose_action` function tool and the `tool_choice` forcing it) and answers
 * with a completion shaped as the API documents it (`id`, `object`,
 * `created`, `model`, `choices[{index, message: {role, content, tool_calls,
 * refusal}, logprobs, finish_reason}]`, `usage`), or with its error shape
 * (`{error: {message, type, param, code}}`) for a request it refuses.
 *
 * The model id scripts the answer, so each test picks its own (append
 * `#anything` to keep a test's requests apart):
 *
 * - `choose:NAME` a tool call choosing NAME (any text, declared or not)
 * - `content:NAME` no tool call: the JSON object in `message.content`
 * - `malformed` a tool call whose arguments are not JSON
 * - `http500` HTTP 500 with the API's error body
 * - `slow:MS:NAME` as `choose:NAME`, after MS milliseconds
 * - `leak` HTTP 401 whose message quotes the key it was sent, masked and whole
 * - `echo:KIND` HTTP 200 quoting the key it was sent: KIND `refusal` (a refusal), `reason`
 *   (a valid choice of none whose reason quotes it) or `html` (a non-JSON page)
 *
 * Tests read what it received (and whether it accepted each request) from
 * `GET /_requests?model=PREFIX`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    modelServerPort: number;
  }
}

/** The key the test config binds as OPENAI_API_KEY. */
export const MODEL_KEY = "sk-test-model-key";

interface Received {
  model: string;
  path: string;
  method: string;
  authorization: string;
  body: unknown;
  /** Why the request was refused (400/401/404), or null when it was valid. */
  invalid: string | null;
  at: number;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Why a chat-completions body is not what the service must send, or null. */
function invalidBody(body: unknown): string | null {
  if (!isObject(body)) return "body is not a JSON object";
  if (typeof body.model !== "string" || body.model === "") return "model must be a string";
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length < 2) return "messages must be an array";
  for (const message of messages) {
    if (!isObject(message) || !["system", "user"].includes(String(message.role)))
      return "each message needs role system or user";
    if (typeof message.content !== "string" || message.content === "")
      return "each message needs string content";
  }
  if (!Array.isArray(body.tools) || body.tools.length !== 1) return "tools must hold one tool";
  const tool = body.tools[0];
  if (!isObject(tool) || tool.type !== "function" || !isObject(tool.function))
    return "the tool must be {type: function, function}";
  const fn = tool.function;
  if (fn.name !== "choose_action" || typeof fn.description !== "string")
    return "the function must be choose_action with a description";
  if (fn.strict !== true) return "the function must be strict";
  const params = fn.parameters;
  if (!isObject(params) || params.type !== "object" || params.additionalProperties !== false)
    return "parameters must be a closed object schema";
  if (JSON.stringify(params.required) !== JSON.stringify(["action", "reason"]))
    return "parameters.required must be [action, reason]";
  const props = params.properties;
  if (!isObject(props) || Object.keys(props).sort().join() !== "action,reason")
    return "parameters.properties must be action and reason";
  const action = props.action;
  if (!isObject(action) || action.type !== "string" || !Array.isArray(action.enum))
    return "action must be a string enum";
  if (!action.enum.includes("none") || action.enum.some((name) => typeof name !== "string"))
    return 'action.enum must list names and "none"';
  if (!isObject(props.reason) || props.reason.type !== "string") return "reason must be a string";
  // Strict mode rejects keywords outside its subset; string length limits are not in it.
  if ("maxLength" in props.reason) return "strict schemas do not take maxLength";
  const choice = body.tool_choice;
  if (
    !isObject(choice) ||
    choice.type !== "function" ||
    !isObject(choice.function) ||
    choice.function.name !== "choose_action"
  )
    return "tool_choice must force choose_action";
  return null;
}

let counter = 0;

/** A chat completion as the API returns it. */
function completion(model: string, message: Json, finish: string): Json {
  counter += 1;
  return {
    id: `chatcmpl-test${counter}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finish }],
    usage: { prompt_tokens: 321, completion_tokens: 17, total_tokens: 338 },
    system_fingerprint: "fp_test",
  };
}

function toolCall(args: string): Json {
  return {
    role: "assistant",
    content: null,
    refusal: null,
    tool_calls: [
      {
        id: `call_${counter + 1}`,
        type: "function",
        function: { name: "choose_action", arguments: args },
      },
    ],
  };
}

function errorBody(message: string, type: string, code: string | null): string {
  return JSON.stringify({ error: { message, type, param: null, code } });
}

/** Answers a valid request as its model id scripts it. */
function answer(model: string, res: ServerResponse): void {
  const send = (status: number, body: string) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(body);
  };
  const script = model.split("#")[0] ?? "";
  const [kind = "", ...rest] = script.split(":");
  const reason = `scripted answer (${kind})`;
  if (kind === "choose") {
    const args = JSON.stringify({ action: rest.join(":"), reason });
    send(200, JSON.stringify(completion(model, toolCall(args), "tool_calls")));
  } else if (kind === "content") {
    const content = JSON.stringify({ action: rest.join(":"), reason });
    const message = { role: "assistant", content, refusal: null };
    send(200, JSON.stringify(completion(model, message, "stop")));
  } else if (kind === "malformed") {
    send(
      200,
      JSON.stringify(completion(model, toolCall('{"action": "none", "reas'), "tool_calls")),
    );
  } else if (kind === "http500") {
    send(
      500,
      errorBody("The server had an error while processing your request.", "server_error", null),
    );
  } else if (kind === "leak") {
    const masked = `${MODEL_KEY.slice(0, 5)}***${MODEL_KEY.slice(-4)}`;
    const message = `Incorrect API key provided: ${masked}. You sent ${MODEL_KEY}.`;
    send(401, errorBody(message, "invalid_request_error", "invalid_api_key"));
  } else if (kind === "echo") {
    const quoted = `Key in use: ${MODEL_KEY}.`;
    const what = rest[0] ?? "";
    if (what === "html") {
      res.writeHead(200, { "content-type": "text/html" });
      res.end(`<html><body>${quoted}</body></html>`);
    } else if (what === "reason") {
      const args = JSON.stringify({ action: "none", reason: quoted });
      send(200, JSON.stringify(completion(model, toolCall(args), "tool_calls")));
    } else {
      const message = { role: "assistant", content: null, refusal: quoted };
      send(200, JSON.stringify(completion(model, message, "stop")));
    }
  } else if (kind === "slow") {
    const [ms = "0", ...name] = rest;
    const args = JSON.stringify({ action: name.join(":"), reason });
    setTimeout(() => {
      if (!res.destroyed)
        send(200, JSON.stringify(completion(model, toolCall(args), "tool_calls")));
    }, Number(ms));
  } else {
    send(
      404,
      errorBody(
        `The model \`${model}\` does not exist.`,
        "invalid_request_error",
        "model_not_found",
      ),
    );
  }
}

export default async function setup(project: TestProject) {
  const received: Received[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let text = "";
    req.on("data", (chunk: Buffer) => {
      text += chunk.toString("utf8");
    });
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://model");
      if (url.pathname === "/_requests") {
        const prefix = url.searchParams.get("model") ?? "";
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(received.filter((r) => r.model.startsWith(prefix))));
        return;
      }
      let body: unknown = null;
      try {
        body = JSON.parse(text);
      } catch {
        // refused below
      }
      const model = isObject(body) && typeof body.model === "string" ? body.model : "";
      const entry: Received = {
        model,
        path: url.pathname,
        method: req.method ?? "",
        authorization: req.headers.authorization ?? "",
        body,
        invalid: null,
        at: Date.now(),
      };
      received.push(entry);
      const refuse = (status: number, why: string, type: string) => {
        entry.invalid = why;
        res.writeHead(status, { "content-type": "application/json" });
        res.end(errorBody(why, type, null));
      };
      if (req.method !== "POST" || url.pathname !== "/v1/chat/completions")
        return refuse(404, `no route ${req.method} ${url.pathname}`, "invalid_request_error");
      // A model id ending `#any-key` is answered whatever key it came with (as local servers do).
      if (entry.authorization !== `Bearer ${MODEL_KEY}` && !model.endsWith("#any-key"))
        return refuse(401, "Incorrect API key provided.", "invalid_request_error");
      if (!String(req.headers["content-type"]).startsWith("application/json"))
        return refuse(400, "content-type must be application/json", "invalid_request_error");
      const invalid = invalidBody(body);
      if (invalid !== null) return refuse(400, invalid, "invalid_request_error");
      answer(model, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  project.provide("modelServerPort", (server.address() as AddressInfo).port);
  return () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
}
