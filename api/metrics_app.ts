import { createRoute, z } from "@hono/zod-openapi";
import { METRICS_CONTENT_TYPE, type MetricsRegistry } from "../shared/metrics/metrics_registry.ts";
import { createOpenApiApp } from "./openapi_app.ts";

const metrics = createRoute({
  method: "get",
  path: "/",
  tags: ["service"],
  summary: "Metrics in Prometheus's text format",
  description: "`stresswatch_http_requests_total{method,route,status}` and " +
    "`stresswatch_http_request_duration_seconds{method,route}` (a histogram). The route is the " +
    "pattern that answered (`/v1/devices/:id`), or `unmatched`. Needs the token when API_TOKEN " +
    "is set (Prometheus: `authorization: { credentials: <token> }`).",
  responses: {
    200: {
      description: "Every metric, text format 0.0.4.",
      content: { "text/plain": { schema: z.string() } },
    },
  },
});

/** `/metrics`: the registry the service counts its requests in. */
export function createMetricsApp(registry: MetricsRegistry) {
  return createOpenApiApp().openapi(
    metrics,
    // Hono's default is replaced only when the header is spelt Content-Type.
    (c) => c.text(registry.render(), 200, { "Content-Type": METRICS_CONTENT_TYPE }),
  );
}
