/**
 * A local webhook receiver that records every delivery and counts them per
 * `Idempotency-Key`, so a repeated delivery shows as a redelivery. Used by
 * `npm run receiver` (which prints each one), the crash test and the benchmarks.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface Delivery {
  method: string;
  path: string;
  /** The `Idempotency-Key` header ("" when absent). */
  key: string;
  body: string;
  /** `performance.now()` when the body had arrived. */
  arrivedAt: number;
  /** How many deliveries of this key there were, this one included. */
  times: number;
}

export interface Receiver {
  url: string;
  port: number;
  deliveries: Delivery[];
  /** Deliveries by idempotency key, in arrival order. */
  byKey: Map<string, Delivery[]>;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 (`port` 0: any free one); `onDelivery` sees each delivery as it lands. */
export async function startReceiver(
  port = 0,
  onDelivery?: (delivery: Delivery) => void,
): Promise<Receiver> {
  const deliveries: Delivery[] = [];
  const byKey = new Map<string, Delivery[]>();
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => {
      body += chunk.toString("utf8");
    });
    req.on("end", () => {
      const header = req.headers["idempotency-key"];
      const key = Array.isArray(header) ? header.join(",") : (header ?? "");
      const same = byKey.get(key) ?? [];
      const delivery: Delivery = {
        method: req.method ?? "",
        path: req.url ?? "",
        key,
        body,
        arrivedAt: performance.now(),
        times: same.length + 1,
      };
      same.push(delivery);
      byKey.set(key, same);
      deliveries.push(delivery);
      onDelivery?.(delivery);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ received: true, deliveries: delivery.times }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    deliveries,
    byKey,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
