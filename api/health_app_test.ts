import assert from "node:assert/strict";
import { anApi } from "../testing/an_api.ts";
import { HEALTH_TIMEOUT_MS } from "./health_app.ts";

Deno.test("GET /health answers 200 when the store answers, with no token and any Host", async () => {
  await using api = await anApi({ access: { apiToken: "a-token-of-at-least-16-chars" } });
  const res = await api.app.request("http://10.0.0.7:8000/health");
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { status: "ok" });
});

Deno.test("GET /health answers 503 with the reason when the store fails", async () => {
  await using api = await anApi();
  api.store.ping = () => Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:8001"));
  const res = await api.request("/health");
  assert.equal(res.status, 503);
  assert.deepEqual(await res.json(), {
    error: {
      code: "unavailable",
      message: "The store cannot be reached: connect ECONNREFUSED 127.0.0.1:8001",
    },
  });
});

Deno.test("GET /health answers 503 when the store does not answer in time (fake clock)", async () => {
  await using api = await anApi();
  api.store.ping = () => new Promise(() => {});
  const answer = api.request("/health");
  await api.clock.advance(HEALTH_TIMEOUT_MS);
  const res = await answer;
  assert.equal(res.status, 503);
  assert.match((await res.json()).error.message, /no answer within 3000 ms/);
});
