/**
 * Streams and metrics: publish an event to every goal observing a topic;
 * read the tenant's own counters (JSON, or Prometheus text).
 */
import { z } from "zod";
import { METRIC_NAMES, readMetrics, readPrometheus } from "../observability/metrics.ts";
import { PROMETHEUS_CONTENT_TYPE } from "../observability/prometheus.ts";
import type { StreamEvent } from "../queues.ts";
import { jsonBytes } from "../spec/index.ts";
import { ApiError } from "./errors.ts";
import { jsonValue } from "./formula-schemas.ts";
import { type ApiRouter, pathParam, readJson } from "./route.ts";

/**
 * Largest event: UTF-8 bytes of its JSON. With its topic and ids (under
 * 1 KiB) it then fits a queue message (128 KB).
 */
export const MAX_EVENT_BYTES = 64 * 1024;

export function streamRoutes(api: ApiRouter): void {
  api.route(
    {
      tag: "streams",
      method: "post",
      path: "/v1/streams/:topic",
      operationId: "publishEvent",
      summary: "Publish an event (any JSON) to every goal observing the topic",
      scope: "observe",
      documentedBody: jsonValue,
      responses: {
        202: { description: "Published", schema: z.object({ id: z.string(), topic: z.string() }) },
      },
    },
    async (c) => {
      const topic = pathParam(c, "topic");
      if (!/^[A-Za-z0-9_.:-]{1,128}$/.test(topic))
        throw new ApiError(400, "VALIDATION_FAILED", "a topic is 1-128 of A-Z a-z 0-9 _ . : -");
      const event = await readJson(c);
      const bytes = jsonBytes(event);
      if (bytes > MAX_EVENT_BYTES) {
        throw new ApiError(
          413,
          "EVENT_TOO_LARGE",
          `an event is at most ${MAX_EVENT_BYTES} bytes of JSON (UTF-8); this one is ${bytes}`,
          { bytes, max_bytes: MAX_EVENT_BYTES },
        );
      }
      const id = crypto.randomUUID();
      const message: StreamEvent = {
        type: "stream",
        tenant: c.get("principal").tenant,
        topic,
        event,
        id,
        at: Date.now(),
      };
      await c.env.OBSERVATIONS.send(message, { contentType: "json" });
      return c.json({ id, topic }, 202);
    },
  );

  api.route(
    {
      tag: "operations",
      method: "get",
      path: "/v1/metrics",
      operationId: "getMetrics",
      summary:
        "The tenant's counters over the last five minutes (JSON); with Accept: text/plain, its running counters and histograms in the Prometheus text format",
      scope: "goals:read",
      responses: {
        200: {
          description:
            "Metrics: JSON by default, the Prometheus text format with Accept: text/plain",
          schema: z.object({
            window: z.literal("5m"),
            metrics: z.record(z.enum(METRIC_NAMES), z.number()),
          }),
          alternatives: {
            [PROMETHEUS_CONTENT_TYPE]: z
              .string()
              .describe("The Prometheus text exposition format (version 0.0.4)"),
          },
        },
      },
    },
    async (c) => {
      const { tenant } = c.get("principal");
      if ((c.req.header("accept") ?? "").includes("text/plain")) {
        return c.text(await readPrometheus(c.get("db"), tenant), 200, {
          "content-type": PROMETHEUS_CONTENT_TYPE,
        });
      }
      const metrics = await readMetrics(c.get("db"), tenant, Date.now());
      return c.json({ window: "5m" as const, metrics });
    },
  );
}
