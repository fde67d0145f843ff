import assert from "node:assert/strict";
import { readLines } from "../testing/read_lines.ts";
import { startFakeBotApi } from "../testing/fake_bot_api.ts";
import { waitUntil } from "../testing/wait_until.ts";
import { SECRET_HEADER } from "./webhook_app.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const OWNER = 4242;

/** `deno task serve` as a user runs it (the task's own permissions), its stderr collected. */
function serve(env: Record<string, string>) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["task", "serve"],
    cwd: ROOT,
    env: { NO_COLOR: "1", PORT: "0", ...env },
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const lines: string[] = [];
  const reading = (async () => {
    for await (const line of readLines(child.stderr)) lines.push(line);
  })();
  return {
    lines,
    /** The exit code of a run that ends by itself. */
    async exited(): Promise<number> {
      const { code } = await child.status;
      await reading;
      return code;
    },
    url: () => /api=(https?:\/\/[^\s/]+)/.exec(lines.find((l) => /listening/.test(l)) ?? "")?.[1],
    async stop(): Promise<number> {
      try {
        child.kill("SIGTERM");
      } catch { /* it ended by itself (a refused start) */ }
      const { code } = await child.status;
      await reading;
      return code;
    },
  };
}

/** A store folder under ./data, where the task may write. */
async function withDataDir(run: (dir: string) => Promise<void>) {
  const dir = `./data/serve-bot-test-${crypto.randomUUID()}`;
  try {
    await run(dir);
  } finally {
    await Deno.remove(`${ROOT}/${dir}`, { recursive: true }).catch(() => {});
  }
}

Deno.test("deno task serve with TELEGRAM_MODE=polling answers the owner by long polling, and stops on SIGTERM", async () => {
  await using telegram = await startFakeBotApi();
  await withDataDir(async (dir) => {
    const service = serve({
      DATA_DIR: dir,
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      TELEGRAM_ALLOWED_CHAT_IDS: String(OWNER),
      TELEGRAM_MODE: "polling",
    });
    await telegram.waitForRequest("getUpdates");
    telegram.pushText(OWNER, "/help");
    const reply = await telegram.waitForRequest("sendMessage");
    assert.match(String(reply.params.text), /^I watch your machines/);
    assert.equal(await service.stop(), 0, service.lines.join("\n"));
    assert.ok(service.lines.some((l) => /info {2}serve\.bot: to pair a chat/.test(l)));
    assert.match(service.lines.at(-1)!, /info {2}serve: stopped$/);
  });
});

Deno.test("deno task serve in webhook mode serves POST /telegram/webhook behind the secret; without a secret it refuses to start", async () => {
  await using telegram = await startFakeBotApi();
  await withDataDir(async (dir) => {
    const env = {
      DATA_DIR: dir,
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      TELEGRAM_ALLOWED_CHAT_IDS: String(OWNER),
    };
    const refused = serve(env);
    await waitUntil(() => refused.lines.some((l) => /TELEGRAM_WEBHOOK_SECRET is not set/.test(l)), {
      what: "the configuration error",
    });
    assert.equal(await refused.exited(), 2);

    const service = serve({ ...env, TELEGRAM_WEBHOOK_SECRET: "serve-test-secret" });
    await waitUntil(() => service.url() !== undefined, { what: "the listening line" });
    const post = (secret?: string) =>
      fetch(`${service.url()}/telegram/webhook`, {
        method: "POST",
        headers: secret ? { [SECRET_HEADER]: secret } : {},
        body: JSON.stringify({
          update_id: 1,
          message: {
            message_id: 1,
            date: 1,
            chat: { id: OWNER, type: "private", first_name: "O" },
            text: "/help",
            entities: [{ type: "bot_command", offset: 0, length: 5 }],
          },
        }),
      });
    const without = await post();
    assert.equal(without.status, 401);
    await without.body?.cancel();
    const ok = await post("serve-test-secret");
    assert.equal(ok.status, 200);
    await ok.body?.cancel();
    assert.deepEqual(telegram.requests.map((r) => r.method), ["getMe", "sendMessage"]);
    assert.equal(await service.stop(), 0, service.lines.join("\n"));
  });
});
