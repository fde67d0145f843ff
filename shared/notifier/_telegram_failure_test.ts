import assert from "node:assert/strict";
import { Api } from "grammy/web";
import { startFakeBotApi } from "../../testing/fake_bot_api.ts";
import { telegramFailureOf } from "./_telegram_failure.ts";

Deno.test("telegramFailureOf() reads the Bot API's answers as grammY throws them", async (t) => {
  await using telegram = await startFakeBotApi();
  const api = new Api(telegram.token, { apiRoot: telegram.apiRoot });
  const failureOf = (call: Promise<unknown>) => call.then(() => null, telegramFailureOf);

  await t.step("429 with retry_after: rate limited for that long", async () => {
    telegram.failNext("sendMessage", { kind: "too_many_requests", retryAfter: 3 });
    assert.deepEqual(await failureOf(api.sendMessage(42, "hot")), {
      kind: "rate_limited",
      retryAfterMs: 3000,
      message: "429 Too Many Requests: retry after 3",
    });
  });

  await t.step("500: transient", async () => {
    telegram.failNext("sendMessage", { kind: "server_error" });
    assert.deepEqual(await failureOf(api.sendMessage(42, "hot")), {
      kind: "transient",
      message: "500 Internal Server Error",
    });
  });

  await t.step("400 chat not found: refused", async () => {
    assert.deepEqual(await failureOf(api.sendMessage("not-a-chat", "hot")), {
      kind: "refused",
      message: "400 Bad Request: chat not found",
    });
  });

  await t.step(
    "401, a token the server refuses: transient (fixing the token fixes it)",
    async () => {
      const wrong = new Api("1:wrong", { apiRoot: telegram.apiRoot });
      assert.deepEqual(await failureOf(wrong.sendMessage(42, "hot")), {
        kind: "transient",
        message: "401 Unauthorized",
      });
    },
  );

  await t.step("a server that cannot be reached: transient, with the cause", async () => {
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = listener.addr.port;
    listener.close();
    const away = new Api(telegram.token, { apiRoot: `http://127.0.0.1:${port}` });
    const failure = await failureOf(away.sendMessage(42, "hot"));
    assert.equal(failure?.kind, "transient");
    assert.match(failure!.message, /^Network request for 'sendMessage' failed!: /);
  });
});

Deno.test("telegramFailureOf() caps a 429's wait at an hour and defaults it to 5 s", () => {
  assert.deepEqual(
    telegramFailureOf({ error_code: 429, description: "Too Many Requests", parameters: {} }),
    { kind: "rate_limited", retryAfterMs: 5000, message: "429 Too Many Requests" },
  );
  assert.equal(
    (telegramFailureOf({ error_code: 429, parameters: { retry_after: 86_400 } }) as {
      retryAfterMs: number;
    }).retryAfterMs,
    3_600_000,
  );
});
