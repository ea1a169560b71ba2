/**
 * Reads an outbound response's body within a byte budget and a deadline.
 * The body is streamed and counted in bytes; at the budget (or at the
 * deadline) the stream is cancelled, so a huge, endless or trickling answer
 * costs a few chunks of memory and no more time than the request's timeout.
 * A declared `Content-Length` over the budget refuses the body unread.
 */

/** The most bytes of a response body that are read. */
export const MAX_RESPONSE_BYTES = 64 * 1024;

/** How much of a body that was not read whole is kept, to say what it began with. */
export const HEAD_BYTES = 1024;

export const TOO_LARGE = `response larger than ${MAX_RESPONSE_BYTES / 1024} KiB`;
export const READ_TIMEOUT = "timeout while reading the response";

/** The whole body (parsed as JSON when it is JSON), or why it was not read whole and how it began. */
export type BodyRead =
  | { whole: true; body: unknown }
  | { whole: false; reason: string; head: string };

function parse(text: string): unknown {
  if (text === "") return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function concat(chunks: Uint8Array[], length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk.subarray(0, length - at), at);
    at += Math.min(chunk.byteLength, length - at);
    if (at === length) break;
  }
  return bytes;
}

/** The first `HEAD_BYTES` as text (a character cut in two becomes U+FFFD). */
function head(chunks: Uint8Array[], read: number): string {
  return new TextDecoder().decode(concat(chunks, Math.min(read, HEAD_BYTES)));
}

/** Rejects when `signal` aborts; never settles otherwise. */
function abortion(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
}

/**
 * Reads `response`'s body until its end, `MAX_RESPONSE_BYTES`, or `signal`
 * (the request's own timeout) aborts, whichever comes first. Throws only
 * when the connection fails mid-body.
 */
export async function readBody(response: Response, signal: AbortSignal): Promise<BodyRead> {
  const stream = response.body;
  if (stream === null) return { whole: true, body: null };
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (declared > MAX_RESPONSE_BYTES) {
    await stream.cancel().catch(() => undefined);
    return { whole: false, reason: TOO_LARGE, head: "" };
  }
  const reader = stream.getReader();
  const aborted = abortion(signal);
  aborted.catch(() => undefined); // raced below; a late abort has no one to tell
  const chunks: Uint8Array[] = [];
  let read = 0;
  const stop = async (reason: string): Promise<BodyRead> => {
    await reader.cancel().catch(() => undefined);
    return { whole: false, reason, head: head(chunks, read) };
  };
  for (;;) {
    let next: ReadableStreamReadResult<Uint8Array>;
    try {
      next = await Promise.race([reader.read(), aborted]);
    } catch (error) {
      if (signal.aborted) return stop(READ_TIMEOUT);
      throw error;
    }
    if (next.done) break;
    chunks.push(next.value);
    read += next.value.byteLength;
    if (read > MAX_RESPONSE_BYTES) return stop(TOO_LARGE);
  }
  return { whole: true, body: parse(new TextDecoder().decode(concat(chunks, read))) };
}
