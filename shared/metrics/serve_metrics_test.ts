import assert from "node:assert/strict";
import { parseEnv } from "../config/parse_env.ts";
import { MetricsEnv } from "../config/metrics_env.ts";
import { createMetricsRegistry } from "./metrics_registry.ts";
import { serveMetrics } from "./serve_metrics.ts";

Deno.test("serveMetrics() is off unless METRICS_PORT is set", () => {
  assert.equal(serveMetrics(parseEnv(MetricsEnv, {}), createMetricsRegistry()), null);
});

Deno.test("serveMetrics() answers GET /metrics over HTTP in the text format", async () => {
  const registry = createMetricsRegistry();
  registry.counter("sw_test_total", "A test counter.").inc(2);
  const server = serveMetrics(parseEnv(MetricsEnv, { METRICS_PORT: "0" }), registry)!;
  try {
    const response = await fetch(`${server.url}/metrics`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8");
    assert.match(await response.text(), /^sw_test_total 2$/m);

    const other = await fetch(`${server.url}/`);
    assert.equal(other.status, 404);
    assert.match(await other.text(), /the metrics are at \/metrics/);

    const post = await fetch(`${server.url}/metrics`, { method: "POST" });
    await post.body?.cancel();
    assert.equal(post.status, 405);
    assert.equal(post.headers.get("allow"), "GET, HEAD");
  } finally {
    await server.shutdown();
  }
});

Deno.test("MetricsEnv refuses a port out of range and a host that is not an address", () => {
  assert.throws(() => parseEnv(MetricsEnv, { METRICS_PORT: "70000" }), /METRICS_PORT is '70000'/);
  assert.throws(
    () => parseEnv(MetricsEnv, { METRICS_HOST: "example.com" }),
    /METRICS_HOST is 'example.com': must be an IP address/,
  );
});
