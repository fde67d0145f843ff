import { Composer } from "grammy/web";
import type { Logger } from "../shared/log.ts";
import type { BotContext } from "./bot_context.ts";
import { HELP_TEXT } from "./bot_commands.ts";
import { echo } from "./message_text.ts";

/**
 * `/help`, and the answers to what no other feature took: an unknown
 * command, a button the bot does not know, any other message. Goes last.
 */
export function createHelp(deps: { log: Logger }): Composer<BotContext> {
  const help = new Composer<BotContext>();

  help.command("help", async (ctx) => await ctx.reply(HELP_TEXT));

  help.on("callback_query:data", async (ctx) => {
    deps.log.warn("button not understood", { data: echo(ctx.callbackQuery.data, 64) });
    await ctx.answerCallbackQuery({ text: "I do not know this button." });
  });

  help.on("message:text", async (ctx) => {
    const [, command, addressee] = /^\/([^\s@]+)(?:@(\S+))?/.exec(ctx.message.text) ?? [];
    // A command for another bot in a group is not ours to answer.
    if (addressee !== undefined && addressee.toLowerCase() !== ctx.me.username.toLowerCase()) {
      return;
    }
    await ctx.reply(
      command !== undefined
        ? `I do not know /${echo(command, 40)}. /help lists what I can do; /devices your devices.`
        : "Send /help to see what I can do.",
    );
  });

  help.on("message", async (ctx) => {
    if (ctx.chat.type === "private") {
      await ctx.reply("I read text only. /help lists what I can do.");
    }
  });

  return help;
}
