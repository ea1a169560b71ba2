/**
 * A local webhook receiver for trying goals: prints each request it gets
 * (headers that matter, and the body) and answers 200 with JSON. It counts
 * idempotency keys, so a repeated delivery shows as a duplicate.
 *
 *   node scripts/receiver.ts [port]     (default 9090; `npm run receiver`)
 */
import { createServer } from "node:http";

const port = Number(process.argv[2] ?? 9090);
const seen = new Map<string, number>();

createServer((req, res) => {
  let body = "";
  req.on("data", (chunk: Buffer) => {
    body += chunk.toString("utf8");
  });
  req.on("end", () => {
    const key = req.headers["idempotency-key"];
    const keyText = Array.isArray(key) ? key.join(",") : (key ?? "");
    const times = (seen.get(keyText) ?? 0) + 1;
    seen.set(keyText, times);
    const line = {
      at: new Date().toISOString(),
      method: req.method,
      path: req.url,
      idempotency_key: keyText,
      duplicate: times > 1,
      body,
    };
    console.log(JSON.stringify(line));
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ received: true, deliveries: times }));
  });
}).listen(port, "127.0.0.1", () => console.log(`receiver listening on http://127.0.0.1:${port}`));
