import assert from "node:assert/strict";
import { OutboxEnv } from "./outbox_env.ts";
import { parseEnv } from "./parse_env.ts";
import { TelegramEnv } from "./telegram_env.ts";

Deno.test("TelegramEnv: no token, no chats and Telegram's own API by default", () => {
  assert.deepEqual(parseEnv(TelegramEnv, {}), {
    TELEGRAM_BOT_TOKEN: undefined,
    TELEGRAM_ALLOWED_CHAT_IDS: [],
    TELEGRAM_API_ROOT: "https://api.telegram.org",
  });
});

Deno.test("TelegramEnv reads chat ids, groups included, and an API root", () => {
  const env = parseEnv(TelegramEnv, {
    TELEGRAM_BOT_TOKEN: "123456:ABC-def_ghi",
    TELEGRAM_ALLOWED_CHAT_IDS: " 42, -1001234567890 ,42",
    TELEGRAM_API_ROOT: "http://127.0.0.1:8081/",
  });
  assert.deepEqual(env.TELEGRAM_ALLOWED_CHAT_IDS, [42, -1001234567890]);
  assert.equal(env.TELEGRAM_API_ROOT, "http://127.0.0.1:8081");
});

Deno.test("TelegramEnv refuses a malformed token without showing it, and a bad chat id", () => {
  assert.throws(
    () => parseEnv(TelegramEnv, { TELEGRAM_BOT_TOKEN: "my-secret-token" }),
    (error: Error) =>
      /TELEGRAM_BOT_TOKEN is set \(value not shown\): must look like 123456789:AAH/.test(
        error.message,
      ) && !error.message.includes("my-secret-token"),
  );
  assert.throws(
    () => parseEnv(TelegramEnv, { TELEGRAM_ALLOWED_CHAT_IDS: "42,@owner" }),
    /TELEGRAM_ALLOWED_CHAT_IDS is '42,@owner': '@owner' is not a chat id/,
  );
});

Deno.test("OutboxEnv: 5 minutes, 10 attempts, 10 s and 30 s by default; ALERT_MAX_AGE as a duration", () => {
  assert.deepEqual(parseEnv(OutboxEnv, {}), {
    ALERT_MAX_AGE: 300_000,
    ALERT_SEND_ATTEMPTS: 10,
    TELEGRAM_TIMEOUT_S: 10,
    OUTBOX_CHECK_INTERVAL_S: 30,
  });
  assert.equal(parseEnv(OutboxEnv, { ALERT_MAX_AGE: "15m" }).ALERT_MAX_AGE, 900_000);
  assert.throws(
    () => parseEnv(OutboxEnv, { ALERT_SEND_ATTEMPTS: "0" }),
    /ALERT_SEND_ATTEMPTS is '0': must be at least 1/,
  );
});
