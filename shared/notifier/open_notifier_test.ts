import assert from "node:assert/strict";
import { composeEnv, parseEnv } from "../config/parse_env.ts";
import { OutboxEnv } from "../config/outbox_env.ts";
import { TelegramEnv } from "../config/telegram_env.ts";
import { systemClock } from "../clock.ts";
import { aStoreWith } from "../../testing/a_store.ts";
import { anAlert } from "../../testing/an_alert.ts";
import { startFakeBotApi } from "../../testing/fake_bot_api.ts";
import { createMemoryLogger } from "../../testing/memory_logger.ts";
import { createFakeClock } from "../../testing/fake_clock.ts";
import { openNotifier } from "./open_notifier.ts";

const NotifierEnv = composeEnv(TelegramEnv, OutboxEnv);
const RAISED = "2026-01-31T12:00:00.000Z";

Deno.test("openNotifier() logs alerts when no bot token is set", async () => {
  await using store = await aStoreWith();
  const log = createMemoryLogger();
  const opened = openNotifier(parseEnv(NotifierEnv, {}), { store, clock: systemClock, log });
  assert.equal(opened.kind, "log");
  assert.equal(opened.outbox, null);
  await opened.notifier.notify(await store.saveAlert(anAlert("a1", "pc1", RAISED)));
  assert.match(log.lines[0]!, /ALERT pc1 is likely to be stressed/);
});

Deno.test("openNotifier() sends through the Bot API at TELEGRAM_API_ROOT to the allowed chats", async () => {
  await using telegram = await startFakeBotApi();
  await using store = await aStoreWith();
  const env = parseEnv(NotifierEnv, {
    TELEGRAM_BOT_TOKEN: telegram.token,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    TELEGRAM_ALLOWED_CHAT_IDS: "42",
  });
  const clock = createFakeClock(Date.parse(RAISED));
  const opened = openNotifier(env, { store, clock, log: createMemoryLogger() });
  assert.equal(opened.kind, "telegram");
  opened.start();
  try {
    await opened.notifier.notify(await store.saveAlert(anAlert("a1", "pc1", RAISED)));
    const request = await telegram.waitForRequest("sendMessage");
    assert.equal(request.params.chat_id, 42);
    assert.equal(request.params.text, "pc1 is likely to be stressed within a minute");
  } finally {
    await opened.stop();
  }
});
