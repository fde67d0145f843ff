import assert from "node:assert/strict";
import { Hono } from "hono";
import { silentLogger } from "../shared/log.ts";
import type { Store } from "../shared/store/store.ts";
import { aPcReading } from "../testing/a_reading.ts";
import { anApi } from "../testing/an_api.ts";
import { createApi } from "./create_api.ts";
import { ERROR_CODES } from "./errors.ts";

type Operation = {
  deprecated?: boolean;
  security?: unknown[];
  parameters?: { name: string }[];
  requestBody?: unknown;
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
};

Deno.test("GET /openapi.json documents every route, its responses and errors, and the bearer scheme", async (t) => {
  await using api = await anApi();
  const res = await api.request("/openapi.json");
  assert.equal(res.status, 200);
  const doc = await res.json();
  const paths = doc.paths as Record<string, Record<string, Operation>>;
  assert.equal(doc.openapi, "3.1.0");
  await t.step("the routes: the API under /v1, the old ones, health and metrics", () => {
    assert.deepEqual(
      Object.entries(paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`))
        .sort(),
      [
        "delete /v1/devices/{id}",
        "delete /v1/devices/{id}/mute",
        "get /devices",
        "get /devices/",
        "get /devices/{name}",
        "get /devices/{name}/status",
        "get /health",
        "get /metrics",
        "get /v1/alerts",
        "get /v1/alerts/{id}",
        "get /v1/devices",
        "get /v1/devices/{id}",
        "get /v1/devices/{id}/history",
        "get /v1/devices/{id}/readings",
        "get /v1/devices/{id}/status",
        "post /v1/alerts/{id}/verdict",
        "put /v1/devices/{id}/mute",
      ],
    );
  });
  await t.step("every response and error has a body schema", () => {
    for (const [path, operations] of Object.entries(paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        for (const [status, response] of Object.entries(operation.responses)) {
          const [content] = Object.values(response.content ?? {});
          assert.ok(content?.schema, `${method} ${path} ${status} has a schema`);
        }
        assert.ok(operation.responses["500"], `${method} ${path} documents 500`);
      }
    }
    assert.deepEqual(
      doc.components.schemas.Error.properties.error.properties.code.enum,
      ERROR_CODES,
    );
  });
  await t.step(
    "the token: a bearer scheme for the Authorize button, 401 where it is needed",
    () => {
      assert.deepEqual(doc.components.securitySchemes.bearer.scheme, "bearer");
      assert.deepEqual(doc.security, [{ bearer: [] }]);
      assert.deepEqual(paths["/health"]!.get!.security, []);
      assert.equal(paths["/health"]!.get!.responses["401"], undefined);
      assert.ok(paths["/health"]!.get!.responses["503"]);
      assert.ok(paths["/v1/devices"]!.get!.responses["401"]);
    },
  );
  await t.step("bodies: 413 and 415; writes: 403", () => {
    for (
      const [path, method] of [["/v1/devices/{id}/mute", "put"], [
        "/v1/alerts/{id}/verdict",
        "post",
      ]]
    ) {
      const responses = paths[path!]![method!]!.responses;
      for (const status of ["400", "403", "404", "413", "415"]) {
        assert.ok(responses[status], `${method} ${path} ${status}`);
      }
    }
    assert.ok(paths["/v1/devices/{id}"]!.delete!.responses["403"]);
  });
  await t.step("the old routes are deprecated, the new ones are not", () => {
    for (const path of ["/devices", "/devices/", "/devices/{name}", "/devices/{name}/status"]) {
      assert.equal(paths[path]!.get!.deprecated, true, path);
    }
    assert.equal(paths["/v1/devices"]!.get!.deprecated, undefined);
  });
  await t.step("the readings' parameters", () => {
    const readings = paths["/v1/devices/{id}/readings"]!.get!;
    assert.deepEqual(readings.parameters!.map((p) => p.name).sort(), [
      "after",
      "before",
      "cursor",
      "id",
      "limit",
    ]);
    const limit = readings.parameters!.find((p) => p.name === "limit") as unknown as {
      schema: { type: string; minimum: number; maximum: number };
    };
    assert.deepEqual([limit.schema.type, limit.schema.minimum, limit.schema.maximum], [
      "integer",
      1,
      1000,
    ]);
  });
  await t.step("the shared schemas", () => {
    for (
      const schema of [
        "PcReading",
        "RaspberryReading",
        "Device",
        "DeviceStatus",
        "Alert",
        "History",
        "LegacyReading",
        "Error",
      ]
    ) {
      assert.ok(doc.components.schemas[schema], `components.schemas.${schema}`);
    }
  });
});

Deno.test("createApi() mounts every resource and answers JSON for unknown routes", async () => {
  await using api = await anApi({ readings: [aPcReading({ device: "pc1" })] });
  for (
    const path of [
      "/v1/devices",
      "/v1/devices/pc1",
      "/v1/devices/pc1/status",
      "/v1/devices/pc1/readings",
      "/v1/devices/pc1/history",
      "/v1/alerts",
      "/devices/",
      "/devices/pc1",
      "/devices/pc1/status",
      "/health",
    ]
  ) {
    const res = await api.request(path);
    assert.equal(res.status, 200, path);
    assert.match(res.headers.get("content-type")!, /application\/json/, path);
  }
  const docs = await api.request("/docs");
  assert.equal(docs.status, 200);
  assert.match(docs.headers.get("content-type")!, /text\/html/);
  const root = await api.request("/");
  assert.equal(root.status, 302);
  assert.equal(root.headers.get("location"), "/docs");
});

Deno.test("createApi() mounts the bot's webhook at /telegram, outside the token, with its own body limit", async () => {
  const updates: unknown[] = [];
  const telegram = new Hono().post("/webhook", async (c) => {
    updates.push(await c.req.json());
    return c.body(null, 200);
  });
  await using api = await anApi({ access: { apiToken: "a-token-of-at-least-16-chars" }, telegram });
  const res = await api.request("/telegram/webhook", {
    method: "POST",
    json: { update_id: 1, pad: "x".repeat(100_000) },
  });
  assert.equal(res.status, 200, "no bearer token: the bot checks its own secret header");
  assert.equal((updates[0] as { update_id: number }).update_id, 1);
  const huge = await api.request("/telegram/webhook", {
    method: "POST",
    json: { pad: "x".repeat(1024 * 1024) },
  });
  assert.equal(huge.status, 413);
  assert.equal(updates.length, 1);
  const wrong = await api.request("/telegram/webhook");
  assert.equal(wrong.status, 405, "its routes are known to the 405 check");
});

Deno.test("createApi() mounts the status page at /: its shell and assets open, its data behind the token", async () => {
  const apiToken = "a-token-of-at-least-16-chars";
  const app = new Hono()
    .get("/", (c) => c.html("<!doctype html><title>Stresswatch</title>"))
    .get("/page/assets/app.js", (c) => c.body("1", 200, { "content-type": "text/javascript" }))
    .get("/page/data", (c) => c.json({ tiles: [] }));
  await using api = await anApi({
    access: { apiToken },
    statusPage: { app, publicPaths: ["/", "/page/assets/*"] },
  });
  const shell = await api.request("/");
  assert.equal(shell.status, 200);
  assert.match(shell.headers.get("content-security-policy")!, /script-src 'self'/);
  assert.equal((await api.request("/page/assets/app.js")).status, 200);
  assert.equal((await api.request("/page/data")).status, 401);
  const data = await api.request("/page/data", {
    headers: { authorization: `Bearer ${apiToken}` },
  });
  assert.deepEqual(await data.json(), { tiles: [] });
});

Deno.test("createApi() answers 500 with a JSON body and logs when the store fails", async () => {
  const lines: string[] = [];
  const failing = {
    listDevices: () => Promise.reject(new Error("disk on fire")),
  } as unknown as Store;
  const log = {
    ...silentLogger,
    error: (m: string, f?: Record<string, unknown>) => lines.push(`${m} ${f?.error}`),
  };
  const res = await createApi({ store: failing, log }).request("/v1/devices");
  assert.equal(res.status, 500);
  assert.equal((await res.json()).error.code, "internal");
  assert.deepEqual(lines, ["request failed disk on fire"]);
});
