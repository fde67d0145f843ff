import assert from "node:assert/strict";
import { aPcReading } from "../testing/a_reading.ts";
import { anApi } from "../testing/an_api.ts";
import { defaultAllowedHosts, hostAllowed, isLoopback } from "./access_control.ts";

const apiToken = "s3cret-token-of-24-chars";
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const reading = aPcReading({ device: "pc1" });

Deno.test("with API_TOKEN every route needs the bearer token but health, the docs and the OpenAPI document", async (t) => {
  await using api = await anApi({ access: { apiToken }, readings: [reading] });
  for (
    const path of ["/v1/devices", "/v1/devices/pc1/readings", "/v1/alerts", "/metrics", "/devices/"]
  ) {
    await t.step(`${path}: 401 without, 401 with a wrong one, 200 with it`, async () => {
      const without = await api.request(path);
      assert.equal(without.status, 401);
      assert.equal(without.headers.get("www-authenticate"), 'Bearer realm="stresswatch"');
      const { error } = await without.json();
      assert.equal(error.code, "unauthorized");
      assert.match(error.message, /Authorization: Bearer <API_TOKEN>/);
      assert.equal(
        (await api.request(path, { headers: bearer("s3cret-token-of-24-charz") })).status,
        401,
      );
      assert.equal(
        (await api.request(path, { headers: bearer(apiToken.slice(0, 10)) })).status,
        401,
      );
      assert.equal((await api.request(path, { headers: { authorization: apiToken } })).status, 401);
      assert.equal((await api.request(path, { headers: bearer(apiToken) })).status, 200);
    });
  }
  await t.step(
    "open: /health, /docs and its assets, /openapi.json, the redirect at /",
    async () => {
      for (
        const path of ["/health", "/docs", "/docs/swagger-ui.css", "/docs/init.js", "/openapi.json"]
      ) {
        assert.equal((await api.request(path)).status, 200, path);
      }
      assert.equal((await api.request("/")).status, 302);
    },
  );
  await t.step("writes need it too", async () => {
    const put = () =>
      api.request("/v1/devices/pc1/mute", { method: "PUT", json: { duration_s: 600 } });
    assert.equal((await put()).status, 401);
    const ok = await api.request("/v1/devices/pc1/mute", {
      method: "PUT",
      json: { duration_s: 600 },
      headers: bearer(apiToken),
    });
    assert.equal(ok.status, 200);
  });
  await t.step("the scheme's name is case-insensitive", async () => {
    const res = await api.request("/v1/devices", {
      headers: { authorization: `bearer ${apiToken}` },
    });
    assert.equal(res.status, 200);
  });
});

Deno.test("without API_TOKEN: reads are open; writes only while listening on loopback", async (t) => {
  await t.step("loopback: a write from this machine passes", async () => {
    await using api = await anApi({ access: { loopbackOnly: true }, readings: [reading] });
    const res = await api.request("/v1/devices/pc1/mute", {
      method: "PUT",
      json: { duration_s: 600 },
    });
    assert.equal(res.status, 200);
  });
  await t.step("beyond loopback: 403 saying to set API_TOKEN", async () => {
    await using api = await anApi({
      access: { loopbackOnly: false, allowedHosts: "*" },
      readings: [reading],
    });
    assert.equal((await api.request("/v1/devices")).status, 200);
    const res = await api.request("/v1/devices/pc1", { method: "DELETE" });
    assert.equal(res.status, 403);
    const { error } = await res.json();
    assert.equal(error.code, "forbidden");
    assert.match(error.message, /set API_TOKEN \(e\.g\. API_TOKEN=\$\(openssl rand -hex 24\)\)/);
    assert.equal((await api.store.getDevice("pc1"))?.decommissioned_at, null);
  });
});

Deno.test("a write sent by a page of another site is refused, token or not", async () => {
  await using api = await anApi({ readings: [reading] });
  const write = (origin: string) =>
    api.request("http://127.0.0.1:8000/v1/devices/pc1/mute", {
      method: "PUT",
      json: { duration_s: 600 },
      headers: { origin },
    });
  const foreign = await write("https://evil.example");
  assert.equal(foreign.status, 403);
  assert.match((await foreign.json()).error.message, /from a page of https:\/\/evil\.example/);
  assert.equal((await write("null")).status, 403);
  assert.equal((await write("http://127.0.0.1:8000")).status, 200, "the service's own page");
  assert.equal((await api.store.getDevice("pc1"))?.muted_until, "2026-01-31T12:10:10.000Z");
});

Deno.test("the Host header is checked against ALLOWED_HOSTS: a rebinding page cannot read a loopback API", async (t) => {
  await using api = await anApi({ readings: [reading] });
  await t.step("the loopback names pass, on any port", async () => {
    for (const host of ["127.0.0.1:8000", "localhost:8000", "LOCALHOST", "[::1]:8000"]) {
      assert.equal((await api.request(`http://${host}/v1/devices`)).status, 200, host);
    }
  });
  await t.step("another name that resolves here does not", async () => {
    const res = await api.request("http://attacker.example:8000/v1/devices");
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), {
      error: {
        code: "host_not_allowed",
        message: "Host 'attacker.example:8000' is not one this service answers to: add it to " +
          "ALLOWED_HOSTS",
      },
    });
  });
  await t.step("a listed name, with or without its port", async () => {
    await using listed = await anApi({
      access: { allowedHosts: ["pi.local", "monitor.lan:8000"] },
    });
    assert.equal((await listed.request("http://pi.local:9999/v1/devices")).status, 200);
    assert.equal((await listed.request("http://monitor.lan:8000/v1/devices")).status, 200);
    assert.equal((await listed.request("http://monitor.lan:8001/v1/devices")).status, 400);
    assert.equal((await listed.request("http://127.0.0.1:8000/v1/devices")).status, 400);
  });
});

Deno.test("CORS is off unless CORS_ORIGINS names origins", async (t) => {
  await t.step("off: no Access-Control header, a preflight gets nothing to allow it", async () => {
    await using api = await anApi({ readings: [reading] });
    const res = await api.request("/v1/devices", { headers: { origin: "https://dash.example" } });
    assert.equal(res.headers.get("access-control-allow-origin"), null);
    const preflight = await api.request("/v1/devices/pc1/mute", {
      method: "OPTIONS",
      headers: { origin: "https://dash.example", "access-control-request-method": "PUT" },
    });
    assert.equal(preflight.headers.get("access-control-allow-origin"), null);
  });
  await t.step("on: the listed origin may read and write, others get no CORS header", async () => {
    await using api = await anApi({
      access: { apiToken, corsOrigins: ["https://dash.example"] },
      readings: [reading],
    });
    const preflight = await api.request("/v1/devices/pc1/mute", {
      method: "OPTIONS",
      headers: {
        origin: "https://dash.example",
        "access-control-request-method": "PUT",
        "access-control-request-headers": "authorization, content-type",
      },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get("access-control-allow-origin"), "https://dash.example");
    assert.match(preflight.headers.get("access-control-allow-headers")!, /Authorization/);
    const write = await api.request("/v1/devices/pc1/mute", {
      method: "PUT",
      json: { duration_s: 600 },
      headers: { origin: "https://dash.example", ...bearer(apiToken) },
    });
    assert.equal(write.status, 200);
    assert.equal(write.headers.get("access-control-allow-origin"), "https://dash.example");
    const other = await api.request("/v1/devices", {
      headers: { origin: "https://other.example", ...bearer(apiToken) },
    });
    assert.equal(other.headers.get("access-control-allow-origin"), null);
  });
});

Deno.test("defaultAllowedHosts(), hostAllowed() and isLoopback()", () => {
  assert.deepEqual(defaultAllowedHosts("127.0.0.1"), ["localhost", "127.0.0.1", "[::1]"]);
  assert.deepEqual(defaultAllowedHosts("::1"), ["localhost", "127.0.0.1", "[::1]"]);
  assert.deepEqual(defaultAllowedHosts("192.168.1.10"), [
    "localhost",
    "127.0.0.1",
    "[::1]",
    "192.168.1.10",
  ]);
  assert.equal(defaultAllowedHosts("0.0.0.0"), "*");
  assert.equal(defaultAllowedHosts("::"), "*");
  assert.equal(hostAllowed(["a.example"], "A.EXAMPLE:443"), true);
  assert.equal(hostAllowed(["a.example:8000"], "a.example"), false);
  assert.equal(hostAllowed(["a.example"], "b.a.example"), false);
  assert.equal(hostAllowed("*", "anything"), true);
  for (const host of ["127.0.0.1", "127.8.9.10", "::1", "localhost"]) assert.ok(isLoopback(host));
  for (const host of ["0.0.0.0", "::", "192.168.1.10", "128.0.0.1"]) assert.ok(!isLoopback(host));
});
