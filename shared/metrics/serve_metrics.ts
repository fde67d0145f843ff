import type { MetricsEnv } from "../config/metrics_env.ts";
import { type HttpServer, serveHttp } from "../entry_point/serve_http.ts";
import { METRICS_CONTENT_TYPE, type MetricsRegistry } from "./metrics_registry.ts";

/**
 * Serves `GET /metrics` (Prometheus's text format) on `METRICS_HOST`:
 * `METRICS_PORT`; null when `METRICS_PORT` is not set. A port in use is a
 * one-line error naming `METRICS_PORT`. Any other path is a 404, any other
 * method on `/metrics` a 405.
 */
export function serveMetrics(env: MetricsEnv, registry: MetricsRegistry): HttpServer | null {
  if (env.METRICS_PORT === undefined) return null;
  return serveHttp(
    { HOST: env.METRICS_HOST, PORT: env.METRICS_PORT },
    (request) => metricsResponse(request, registry),
    { names: { host: "METRICS_HOST", port: "METRICS_PORT" } },
  );
}

/** The answer to one request of the metrics server. */
export function metricsResponse(request: Request, registry: MetricsRegistry): Response {
  if (new URL(request.url).pathname !== "/metrics") {
    return new Response("Not found: the metrics are at /metrics\n", { status: 404 });
  }
  if (request.method !== "GET" && request.method !== "HEAD") {
    return new Response("Method not allowed\n", { status: 405, headers: { allow: "GET, HEAD" } });
  }
  const body = registry.render();
  return new Response(request.method === "HEAD" ? null : body, {
    headers: { "content-type": METRICS_CONTENT_TYPE },
  });
}
