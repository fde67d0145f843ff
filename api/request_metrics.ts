import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import type { MetricsRegistry } from "../shared/metrics/metrics_registry.ts";

/** The route label of a request that matched no route: one label, not one per path. */
export const UNMATCHED_ROUTE = "unmatched";

/**
 * Counts requests by method, route and status and observes their latency,
 * into `registry`: `stresswatch_http_requests_total` and
 * `stresswatch_http_request_duration_seconds`. The route is the pattern that
 * answered (`/v1/devices/:id`), never the path itself, so the number of
 * series stays bounded whatever clients send.
 */
export function requestMetrics(
  registry: MetricsRegistry,
  now: () => number = () => performance.now(),
): MiddlewareHandler {
  const requests = registry.counter(
    "stresswatch_http_requests_total",
    "HTTP requests answered, by method, route and status.",
    { labels: ["method", "route", "status"] },
  );
  const latency = registry.histogram(
    "stresswatch_http_request_duration_seconds",
    "Time to answer an HTTP request (until the response starts), s.",
    { labels: ["method", "route"] },
  );
  return async (c, next) => {
    const start = now();
    try {
      await next();
    } finally {
      const method = KNOWN_METHODS.has(c.req.method) ? c.req.method : "other";
      const route = routeOf(c);
      requests.inc(1, { method, route, status: String(c.res.status) });
      latency.observe((now() - start) / 1000, { method, route });
    }
  };
}

const KNOWN_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** The path pattern of the handler that answered, or {@linkcode UNMATCHED_ROUTE}. */
function routeOf(c: Context): string {
  const handlers = matchedRoutes(c).filter((route) => route.method !== "ALL");
  return handlers.at(-1)?.path ?? UNMATCHED_ROUTE;
}
