import assert from "node:assert/strict";
import { ConfigError } from "../shared/config/parse_env.ts";
import { CommandError } from "../shared/entry_point/command_error.ts";
import { startFakeBotApi } from "../testing/fake_bot_api.ts";
import { readLines } from "../testing/read_lines.ts";
import { BOT_COMMANDS } from "./bot_commands.ts";
import { main } from "./set_webhook_main.ts";

const URL_ = "https://stresswatch.example.deno.net/telegram/webhook";
const SECRET = "s3cret_-token";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, output: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) } };
}

Deno.test("bot:set-webhook registers the URL with the secret, the updates and the menu, and says what Telegram reports", async () => {
  await using telegram = await startFakeBotApi();
  const { out, output } = capture();
  const env = {
    TELEGRAM_BOT_TOKEN: telegram.token,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    TELEGRAM_WEBHOOK_URL: URL_,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
  };
  assert.equal(await main([], env, output), 0);
  assert.deepEqual(telegram.webhook, {
    url: URL_,
    secret_token: SECRET,
    allowed_updates: ["message", "callback_query"],
  });
  assert.deepEqual(telegram.commands, BOT_COMMANDS);
  assert.deepEqual(out, [
    `bot:set-webhook: @stresswatch_test_bot: webhook ${URL_} (secret set; updates: message, callback_query)`,
    `bot:set-webhook: menu: ${BOT_COMMANDS.map((c) => `/${c.command}`).join(" ")}`,
    "bot:set-webhook: Telegram reports 0 pending update(s), no error",
  ]);
  assert.ok(!out.join("\n").includes(SECRET), "the secret is never printed");

  // Again: the same result (safe to run again); then --delete removes it for polling.
  assert.equal(await main([], env, output), 0);
  assert.equal(telegram.webhook?.url, URL_);
  assert.equal(
    await main(["--delete"], {
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
    }, output),
    0,
  );
  assert.equal(telegram.webhook, null);
  assert.equal(
    out.at(-1),
    "bot:set-webhook: @stresswatch_test_bot: webhook removed; the bot can poll now (TELEGRAM_MODE=polling)",
  );
});

Deno.test("bot:set-webhook names each missing or bad variable (exit 2), before any call", async () => {
  await using telegram = await startFakeBotApi();
  await assert.rejects(
    main([], { TELEGRAM_API_ROOT: telegram.apiRoot }, capture().output),
    (error: Error) =>
      error instanceof ConfigError && error.problems.length === 3 &&
      /TELEGRAM_BOT_TOKEN is not set/.test(error.problems[0]!) &&
      /TELEGRAM_WEBHOOK_URL is not set/.test(error.problems[1]!) &&
      /TELEGRAM_WEBHOOK_SECRET is not set/.test(error.problems[2]!),
  );
  const { err, output } = capture();
  const code = await main([], {
    TELEGRAM_BOT_TOKEN: telegram.token,
    TELEGRAM_WEBHOOK_URL: "http://insecure.example/telegram/webhook",
    TELEGRAM_WEBHOOK_SECRET: "has spaces",
  }, output);
  assert.equal(code, 2);
  assert.match(
    err.join("\n"),
    /TELEGRAM_WEBHOOK_URL is 'http:\/\/insecure\.example\/telegram\/webhook': must be the https URL/,
  );
  assert.match(
    err.join("\n"),
    /TELEGRAM_WEBHOOK_SECRET .*must be 1-256 letters, digits, '_' or '-'/,
  );
  assert.equal(telegram.requests.length, 0);
});

Deno.test("bot:set-webhook says in one line what Telegram refused or that it cannot be reached", async () => {
  await using telegram = await startFakeBotApi();
  const env = {
    TELEGRAM_BOT_TOKEN: "999:not-the-token",
    TELEGRAM_API_ROOT: telegram.apiRoot,
    TELEGRAM_WEBHOOK_URL: URL_,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
  };
  await assert.rejects(
    main([], env, capture().output),
    (error: Error) =>
      error instanceof CommandError &&
      error.message ===
        "Telegram refused TELEGRAM_BOT_TOKEN (401 Unauthorized): check the token @BotFather gave",
  );
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const closed = `http://127.0.0.1:${listener.addr.port}`;
  listener.close();
  await assert.rejects(
    main(
      [],
      { ...env, TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: closed },
      capture().output,
    ),
    (error: Error) =>
      error instanceof CommandError &&
      error.message.startsWith(`cannot reach Telegram at TELEGRAM_API_ROOT ${closed}: `),
  );
});

Deno.test("deno task bot:set-webhook as a user runs it: one line and exit 1 when Telegram refuses the token", async () => {
  await using telegram = await startFakeBotApi();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["task", "bot:set-webhook"],
    cwd: new URL("..", import.meta.url).pathname,
    env: {
      NO_COLOR: "1",
      TELEGRAM_BOT_TOKEN: "999:not-the-token",
      TELEGRAM_API_ROOT: telegram.apiRoot,
      TELEGRAM_WEBHOOK_URL: URL_,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
    },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const lines: string[] = [];
  for await (const line of readLines(child.stderr)) lines.push(line);
  await child.stdout.cancel();
  const { code } = await child.status;
  assert.equal(code, 1);
  assert.deepEqual(lines.filter((l) => !/^Task bot:set-webhook /.test(l)), [
    "error: Telegram refused TELEGRAM_BOT_TOKEN (401 Unauthorized): check the token @BotFather gave",
  ]);
});
