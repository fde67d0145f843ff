import { Composer } from "grammy/web";
import type { Clock } from "../shared/clock.ts";
import { ALL_DEVICES } from "../shared/store/records.ts";
import type { Store } from "../shared/store/store.ts";
import type { BotContext } from "./bot_context.ts";
import { findDevice } from "./find_device.ts";
import { clockTime, formatDuration } from "./format_time.ts";
import { echo, fitText } from "./message_text.ts";
import { parseDuration } from "./parse_duration.ts";

export interface ChatAdminDeps {
  store: Pick<
    Store,
    | "getDevice"
    | "listDevices"
    | "setMute"
    | "clearMute"
    | "subscribe"
    | "unsubscribe"
    | "listSubscriptions"
  >;
  clock: Clock;
  timeZone: string;
}

/** How long `/mute <device>` mutes without a duration, ms. */
export const DEFAULT_MUTE_MS = 60 * 60_000;
/** The shortest and longest mute, ms. */
export const MUTE_RANGE_MS = { min: 60_000, max: 30 * 86_400_000 } as const;
/** Devices an "every device" subscription is spelt out to, at most, when one is dropped. */
const SPELT_OUT = 1000;

/**
 * The owner's say over alerts: `/mute <device> [duration]` and
 * `/unmute <device>` (through the store, so the consumer holds the device's
 * alerts back as `muted`), `/subscribe` and `/unsubscribe` per device or
 * `all` (which chats the consumer's outbox sends a device's alerts to).
 */
export function createChatAdmin(deps: ChatAdminDeps): Composer<BotContext> {
  const { store, clock, timeZone } = deps;
  const admin = new Composer<BotContext>();

  admin.command("mute", async (ctx) => {
    const [device = "", ...rest] = words(ctx.match);
    const found = await findDevice(store, device, { command: "mute", action: "status" });
    if (!found.ok) {
      await ctx.reply(found.text, { reply_markup: found.reply_markup });
      return;
    }
    const given = rest.join(" ");
    const ms = given === "" ? DEFAULT_MUTE_MS : parseDuration(given);
    if (ms === null || ms < MUTE_RANGE_MS.min || ms > MUTE_RANGE_MS.max) {
      await ctx.reply(
        `'${echo(given, 30)}' is not a duration from ${formatDuration(MUTE_RANGE_MS.min)} to ${
          formatDuration(MUTE_RANGE_MS.max)
        }: e.g. /mute ${found.summary.device} 30m, 2h or 1d.`,
      );
      return;
    }
    const now = clock.now();
    const until = now + ms;
    await store.setMute(found.summary.device, new Date(until).toISOString());
    await ctx.reply(
      `🔕 ${found.summary.device} muted for ${formatDuration(ms)}, until ${
        clockTime(until, { timeZone, now })
      }: its alerts are kept, not sent. /unmute ${found.summary.device} to undo.`,
    );
  });

  admin.command("unmute", async (ctx) => {
    const [device = ""] = words(ctx.match);
    const found = await findDevice(store, device, { command: "unmute", action: "status" });
    if (!found.ok) {
      await ctx.reply(found.text, { reply_markup: found.reply_markup });
      return;
    }
    const { muted_until } = found.summary;
    const wasMuted = muted_until !== null && Date.parse(muted_until) > clock.now();
    await store.clearMute(found.summary.device);
    await ctx.reply(
      wasMuted
        ? `🔔 ${found.summary.device} unmuted: its alerts are sent again.`
        : `${found.summary.device} was not muted; its alerts are sent.`,
    );
  });

  admin.command("subscribe", async (ctx) => {
    const chatId = ctx.chat.id;
    const [device = ""] = words(ctx.match);
    if (device === "") {
      await ctx.reply(await subscriptionsText(chatId, ctx));
      return;
    }
    if (device.toLowerCase() === "all" || device === ALL_DEVICES) {
      await store.subscribe(chatId, ALL_DEVICES);
      await ctx.reply("This chat gets the alerts of every device now, new ones included.");
      return;
    }
    const found = await findDevice(store, device, { command: "subscribe", action: "status" });
    if (!found.ok) {
      await ctx.reply(found.text, { reply_markup: found.reply_markup });
      return;
    }
    await store.subscribe(chatId, found.summary.device);
    const all = (await store.listSubscriptions(chatId)).includes(ALL_DEVICES);
    await ctx.reply(
      all
        ? `This chat gets ${found.summary.device}'s alerts (it already gets every device's).`
        : `This chat gets ${found.summary.device}'s alerts now.`,
    );
  });

  admin.command("unsubscribe", async (ctx) => {
    const chatId = ctx.chat.id;
    const [device = ""] = words(ctx.match);
    if (device === "") {
      await ctx.reply(await subscriptionsText(chatId, ctx));
      return;
    }
    const current = await store.listSubscriptions(chatId);
    if (device.toLowerCase() === "all" || device === ALL_DEVICES) {
      for (const name of current) await store.unsubscribe(chatId, name);
      await ctx.reply(
        `This chat gets no device's alerts now${allowedNote(ctx)}. /subscribe all to undo.`,
      );
      return;
    }
    const found = await findDevice(store, device, { command: "unsubscribe", action: "status" });
    if (!found.ok) {
      await ctx.reply(found.text, { reply_markup: found.reply_markup });
      return;
    }
    const name = found.summary.device;
    if (!current.includes(ALL_DEVICES)) {
      await store.unsubscribe(chatId, name);
      await ctx.reply(
        current.includes(name)
          ? `This chat gets no alerts of ${name} now${allowedNote(ctx)}.`
          : `This chat was not subscribed to ${name}.${allowedNote(ctx)}`,
      );
      return;
    }
    // "Every device" cannot leave one out: spell it out as the other devices there are.
    const page = await store.listDevices({ limit: SPELT_OUT });
    if (page.next_cursor !== null) {
      await ctx.reply(
        `This chat gets every device's alerts, and there are too many devices to list them ` +
          `one by one. /unsubscribe all, then /subscribe to the ones you want.`,
      );
      return;
    }
    const others = page.items.map((d) => d.device).filter((d) => d !== name);
    for (const other of others) await store.subscribe(chatId, other);
    await store.unsubscribe(chatId, name);
    await store.unsubscribe(chatId, ALL_DEVICES);
    await ctx.reply(
      fitText(
        `This chat got every device's alerts; now those of ${
          others.length > 0 ? others.join(", ") : "no device"
        }, without ${name}${allowedNote(ctx)}. New devices are not included: /subscribe all ` +
          `to get every device again.`,
      ),
    );
  });

  async function subscriptionsText(chatId: number, ctx: BotContext): Promise<string> {
    const names = await store.listSubscriptions(chatId);
    const what = names.includes(ALL_DEVICES)
      ? "every device, new ones included"
      : names.length > 0
      ? names.join(", ")
      : "no device";
    return fitText(
      `This chat gets the alerts of: ${what}.${allowedNote(ctx)}\n` +
        "/subscribe <device> or all; /unsubscribe <device> or all.",
    );
  }

  return admin;
}

function words(text: string): string[] {
  return text.trim().split(/\s+/).filter(Boolean);
}

/** For a chat in TELEGRAM_ALLOWED_CHAT_IDS: the outbox sends it every device's alerts anyway. */
function allowedNote(ctx: BotContext, lead = " "): string {
  return ctx.access.how === "allowed"
    ? `${lead}(This chat is in TELEGRAM_ALLOWED_CHAT_IDS, which gets every device's alerts ` +
      `whatever it subscribes to.)`
    : "";
}
