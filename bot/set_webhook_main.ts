import { Api, GrammyError, HttpError } from "grammy/web";
import { composeEnv, ConfigError, processEnv } from "../shared/config/parse_env.ts";
import { defineCommand, type FlagOutput, parseCommandLine } from "../shared/config/parse_flags.ts";
import { TelegramEnv } from "../shared/config/telegram_env.ts";
import { CommandError } from "../shared/entry_point/command_error.ts";
import { runCommand } from "../shared/entry_point/run_command.ts";
import { ALLOWED_UPDATES, BOT_COMMANDS } from "./bot_commands.ts";
import { WEBHOOK_PATH, WebhookSecretEnv, WebhookUrlEnv } from "./bot_env.ts";

export const SET_WEBHOOK_COMMAND = defineCommand({
  name: "deno task bot:set-webhook",
  about: `Registers the service's webhook with Telegram: TELEGRAM_WEBHOOK_URL (the
service's https URL ending in ${WEBHOOK_PATH}) with TELEGRAM_WEBHOOK_SECRET, the
updates the bot takes, and its command menu; then prints what Telegram reports.
Safe to run again. --delete removes the webhook, so the bot can poll
(TELEGRAM_MODE=polling) instead.`,
  flags: {
    delete: {
      type: "boolean",
      help: "remove the webhook instead of setting it (TELEGRAM_WEBHOOK_URL not needed)",
    },
  },
  env: composeEnv(TelegramEnv, WebhookSecretEnv, WebhookUrlEnv),
});

/**
 * `deno task bot:set-webhook`: one `setWebhook` with the secret and the
 * allowed updates, one `setMyCommands`, one `getWebhookInfo` to show the
 * result. A problem is one line naming the variable at fault (exit 2 for a
 * missing or bad one, 1 for what Telegram refused or an unreachable API).
 */
export async function main(
  args: readonly string[],
  env: Record<string, string | undefined>,
  output: FlagOutput = { out: console.log, err: console.error },
): Promise<number> {
  const line = parseCommandLine(SET_WEBHOOK_COMMAND, args, env, output);
  if (typeof line === "number") return line;
  const { flags, config } = line;
  const token = config.TELEGRAM_BOT_TOKEN;
  const url = config.TELEGRAM_WEBHOOK_URL;
  const secret = config.TELEGRAM_WEBHOOK_SECRET;
  const missing = [
    token === undefined ? "TELEGRAM_BOT_TOKEN is not set: the token @BotFather gave" : null,
    !flags.delete && url === undefined
      ? `TELEGRAM_WEBHOOK_URL is not set: the service's https URL, like https://<app>.deno.net${WEBHOOK_PATH}`
      : null,
    !flags.delete && secret === undefined
      ? "TELEGRAM_WEBHOOK_SECRET is not set: the secret the service checks (e.g. openssl rand -hex 32)"
      : null,
  ].filter((p): p is string => p !== null);
  if (missing.length > 0) throw new ConfigError(missing);

  const apiRoot = config.TELEGRAM_API_ROOT;
  const api = new Api(token!, { apiRoot, timeoutSeconds: 30 });
  const say = (text: string) => output.out(`bot:set-webhook: ${text}`);
  try {
    const me = await api.getMe();
    if (flags.delete) {
      await api.deleteWebhook();
      say(`@${me.username}: webhook removed; the bot can poll now (TELEGRAM_MODE=polling)`);
      return 0;
    }
    if (!new URL(url!).pathname.endsWith(WEBHOOK_PATH)) {
      say(`note: the service serves the webhook at ${WEBHOOK_PATH}; ${url} does not end with it`);
    }
    await api.setWebhook(url!, { secret_token: secret!, allowed_updates: [...ALLOWED_UPDATES] })
      .catch((error) => {
        throw error instanceof GrammyError && error.error_code === 400
          ? new CommandError(`Telegram refused TELEGRAM_WEBHOOK_URL ${url}: ${error.description}`)
          : error;
      });
    await api.setMyCommands([...BOT_COMMANDS]);
    const info = await api.getWebhookInfo();
    say(
      `@${me.username}: webhook ${info.url} (secret set; updates: ${ALLOWED_UPDATES.join(", ")})`,
    );
    say(`menu: ${BOT_COMMANDS.map((c) => `/${c.command}`).join(" ")}`);
    const lastError = info.last_error_message
      ? `last error ${
        new Date(info.last_error_date! * 1000).toISOString()
      }: ${info.last_error_message}`
      : "no error";
    say(`Telegram reports ${info.pending_update_count} pending update(s), ${lastError}`);
    return 0;
  } catch (error) {
    throw explainTelegramError(error, apiRoot);
  }
}

/** What Telegram or the network said, as one line naming the setting at fault. */
function explainTelegramError(error: unknown, apiRoot: string): Error {
  if (error instanceof CommandError) return error;
  if (error instanceof GrammyError) {
    if (error.error_code === 401 || error.error_code === 404) {
      return new CommandError(
        `Telegram refused TELEGRAM_BOT_TOKEN (${error.error_code} ${error.description}): ` +
          "check the token @BotFather gave",
      );
    }
    return new CommandError(`Telegram refused ${error.method}: ${error.description}`);
  }
  if (error instanceof HttpError) {
    const cause = error.error instanceof Error ? error.error.message : String(error.error);
    return new CommandError(`cannot reach Telegram at TELEGRAM_API_ROOT ${apiRoot}: ${cause}`);
  }
  return error instanceof Error ? error : new Error(String(error));
}

if (import.meta.main) await runCommand(() => main(Deno.args, processEnv()));
