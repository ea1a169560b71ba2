/**
 * A local webhook receiver for trying goals: prints each request it gets
 * (headers that matter, and the body) and answers 200 with JSON. It counts
 * idempotency keys, so a repeated delivery shows as a duplicate.
 *
 *   node scripts/receiver.ts [port]     (default 9090; `npm run receiver`)
 */
import { startReceiver } from "./webhook-receiver.ts";

const port = Number(process.argv[2] ?? 9090);

const receiver = await startReceiver(port, (delivery) => {
  const line = {
    at: new Date().toISOString(),
    method: delivery.method,
    path: delivery.path,
    idempotency_key: delivery.key,
    duplicate: delivery.times > 1,
    body: delivery.body,
  };
  console.log(JSON.stringify(line));
});
console.log(`receiver listening on ${receiver.url}`);
