import assert from "node:assert/strict";
import { parseEnv } from "../shared/config/parse_env.ts";
import { startFakeBotApi } from "../testing/fake_bot_api.ts";
import { createMemoryLogger } from "../testing/memory_logger.ts";
import { waitUntil } from "../testing/wait_until.ts";
import { startLocalSystem } from "./local_system.ts";
import { StartConfigSchema } from "./start_config.ts";

const OWNER = 4242;

Deno.test("deno task start with TELEGRAM_BOT_TOKEN runs the bot by long polling and stops it first", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "monitor-bot-" });
  await using telegram = await startFakeBotApi();
  const log = createMemoryLogger("info");
  const config = parseEnv(StartConfigSchema, {
    PORT: "0",
    DATA_DIR: dataDir,
    TELEGRAM_BOT_TOKEN: telegram.token,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    TELEGRAM_ALLOWED_CHAT_IDS: String(OWNER),
    TZ: "Europe/Berlin",
  });
  try {
    const system = await startLocalSystem({ config, device: "bot-test-pc", log });
    try {
      await waitUntil(async () => (await system.store.getDevice("bot-test-pc")) !== null, {
        what: "this machine's first reading",
      });
      await telegram.waitForRequest("getUpdates");
      assert.ok(
        log.lines.some((l) => /bot: to pair a chat with the bot, send \/start \d{4}-/.test(l)),
      );
      assert.ok(log.lines.some((l) => /info {2}started .*bot="polling Telegram"/.test(l)));
      telegram.pushText(OWNER, "/devices");
      const reply = await telegram.waitForRequest("sendMessage");
      assert.match(String(reply.params.text), /bot-test-pc · pc/);
    } finally {
      await system.stop();
    }
    assert.equal(telegram.calls("getUpdates").at(-1)!.params.limit, 1, "the last update confirmed");
    assert.ok(!log.lines.some((l) => /cannot close/.test(l)), log.lines.join("\n"));
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
