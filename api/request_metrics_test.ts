import assert from "node:assert/strict";
import { createMetricsRegistry } from "../shared/metrics/metrics_registry.ts";
import { aPcReading } from "../testing/a_reading.ts";
import { anApi } from "../testing/an_api.ts";

Deno.test("GET /metrics counts requests by method, route pattern and status, with a latency histogram", async () => {
  const metrics = createMetricsRegistry();
  await using api = await anApi({ metrics, readings: [aPcReading({ device: "pc1" })] });
  await api.request("/v1/devices/pc1");
  await api.request("/v1/devices/pc1");
  await api.request("/v1/devices/ghost");
  await api.request("/no/such/path/1");
  await api.request("/no/such/path/2");
  const res = await api.request("/metrics");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  const text = await res.text();
  const line = (prefix: string) => text.split("\n").find((l) => l.startsWith(prefix));
  assert.equal(
    line('stresswatch_http_requests_total{method="GET",route="/v1/devices/:id",status="200"}'),
    'stresswatch_http_requests_total{method="GET",route="/v1/devices/:id",status="200"} 2',
  );
  assert.match(
    line('stresswatch_http_requests_total{method="GET",route="/v1/devices/:id",status="404"}')!,
    / 1$/,
  );
  assert.match(
    line('stresswatch_http_requests_total{method="GET",route="unmatched",status="404"}')!,
    / 2$/,
    "paths that match no route share one label",
  );
  assert.match(
    line(
      'stresswatch_http_request_duration_seconds_count{method="GET",route="/v1/devices/:id"}',
    )!,
    / 3$/,
  );
  assert.ok(
    line(
      'stresswatch_http_request_duration_seconds_bucket{method="GET",route="/v1/devices/:id",le="+Inf"}',
    ),
  );
});

Deno.test("GET /metrics needs the token when API_TOKEN is set", async () => {
  const apiToken = "a-token-of-at-least-16-chars";
  await using api = await anApi({ access: { apiToken } });
  assert.equal((await api.request("/metrics")).status, 401);
  const res = await api.request("/metrics", { headers: { authorization: `Bearer ${apiToken}` } });
  assert.equal(res.status, 200);
});
