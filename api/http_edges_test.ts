import assert from "node:assert/strict";
import { aPcReading } from "../testing/a_reading.ts";
import { anApi } from "../testing/an_api.ts";
import { allowedMethods, HTML_CSP, MAX_HEADER_BYTES, MAX_URL_BYTES } from "./http_edges.ts";

Deno.test("a wrong method gets 405 with Allow, not 404; OPTIONS lists the methods", async (t) => {
  await using api = await anApi({ readings: [aPcReading({ device: "pc1" })] });
  const cases: [string, string, string][] = [
    ["POST", "/v1/devices", "GET, HEAD, OPTIONS"],
    ["PATCH", "/v1/devices/pc1", "DELETE, GET, HEAD, OPTIONS"],
    ["POST", "/v1/devices/pc1/mute", "DELETE, PUT, OPTIONS"],
    ["GET", "/v1/alerts/a1/verdict", "POST, OPTIONS"],
    ["DELETE", "/devices/pc1/status", "GET, HEAD, OPTIONS"],
    ["PUT", "/health", "GET, HEAD, OPTIONS"],
  ];
  for (const [method, path, allow] of cases) {
    await t.step(`${method} ${path}`, async () => {
      const res = await api.request(path, { method });
      assert.equal(res.status, 405);
      assert.equal(res.headers.get("allow"), allow);
      const { error } = await res.json();
      assert.equal(error.code, "method_not_allowed");
    });
  }
  await t.step("OPTIONS: 204 with Allow", async () => {
    const res = await api.request("/v1/devices/pc1", { method: "OPTIONS" });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get("allow"), "DELETE, GET, HEAD, OPTIONS");
  });
  await t.step("HEAD answers like GET, without a body", async () => {
    const res = await api.request("/v1/devices/pc1", { method: "HEAD" });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), "");
  });
  await t.step("a path no route has: 404, with a hint where the API moved", async () => {
    const res = await api.request("/devices/pc1/readings");
    assert.equal(res.status, 404);
    assert.equal(
      (await res.json()).error.message,
      "No route GET /devices/pc1/readings; the API is under /v1: /v1/devices/pc1/readings",
    );
    const plain = await api.request("/nothing");
    assert.deepEqual(await plain.json(), {
      error: { code: "not_found", message: "No route GET /nothing" },
    });
  });
});

Deno.test("an oversized URL gets 414 and oversized headers 431, as JSON", async () => {
  await using api = await anApi();
  const long = await api.request(`/v1/devices?cursor=${"x".repeat(MAX_URL_BYTES)}`);
  assert.equal(long.status, 414);
  assert.equal((await long.json()).error.code, "uri_too_long");
  const big = await api.request("/v1/devices", {
    headers: { cookie: "x".repeat(MAX_HEADER_BYTES) },
  });
  assert.equal(big.status, 431);
  assert.equal((await big.json()).error.code, "headers_too_large");
});

Deno.test("every response says nosniff; HTML pages carry the CSP and refuse framing", async () => {
  await using api = await anApi();
  for (const path of ["/v1/devices", "/nothing", "/docs/swagger-ui-bundle.js", "/health"]) {
    const res = await api.request(path);
    await res.body?.cancel();
    assert.equal(res.headers.get("x-content-type-options"), "nosniff", path);
    assert.equal(res.headers.get("content-security-policy"), null, path);
  }
  const page = await api.request("/docs");
  await page.body?.cancel();
  assert.equal(page.headers.get("content-security-policy"), HTML_CSP);
  assert.match(HTML_CSP, /script-src 'self'(;|$)/, "no inline or outside script");
  assert.equal(page.headers.get("x-frame-options"), "DENY");
  assert.equal(page.headers.get("x-content-type-options"), "nosniff");
});

Deno.test("allowedMethods() matches Hono's path patterns, ignoring middleware", () => {
  const routes = [
    { method: "ALL", path: "*" },
    { method: "GET", path: "/v1/devices/:id" },
    { method: "DELETE", path: "/v1/devices/:id" },
    { method: "GET", path: "/docs/*" },
    { method: "GET", path: "/a.b" },
  ];
  assert.deepEqual(allowedMethods(routes, "/v1/devices/pc1"), ["DELETE", "GET", "HEAD"]);
  assert.deepEqual(allowedMethods(routes, "/v1/devices/pc1/x"), []);
  assert.deepEqual(allowedMethods(routes, "/docs/x/y"), ["GET", "HEAD"]);
  assert.deepEqual(allowedMethods(routes, "/axb"), [], "a dot in a path is a dot");
});
