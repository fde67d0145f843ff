import { Composer } from "grammy/web";
import type { InlineKeyboardButton, InlineKeyboardMarkup } from "grammy/types";
import type { Clock } from "../shared/clock.ts";
import { DEVICE_NAME } from "../shared/reading/mod.ts";
import type { Alert, DeviceSummary, Feedback } from "../shared/store/records.ts";
import type { Store } from "../shared/store/store.ts";
import type { BotContext } from "./bot_context.ts";
import { COMMAND_NAMES } from "./bot_commands.ts";
import { deviceButtonData, deviceKeyboard, parseDeviceButton } from "./device_buttons.ts";
import { findDevice, NO_DEVICES } from "./find_device.ts";
import { deviceLine, stateMark, statusText, verdictOf } from "./format_device.ts";
import { alignRows, readingRows } from "./format_reading.ts";
import { ago, clockTime } from "./format_time.ts";
import { escapeHtml, fitText, TEXT_MAX } from "./message_text.ts";

export interface MonitoringDeps {
  store: Pick<Store, "listDevices" | "getDevice" | "getStatus" | "listAlerts" | "listFeedback">;
  clock: Clock;
  /** The owner's time zone (`TZ`). */
  timeZone: string;
  /** Per-device hot limits (`HOT_LIMITS`), °C. */
  hotLimits?: Readonly<Record<string, number>>;
}

/** Devices `/start` and `/devices` list (the rest: "and more"). */
export const DEVICES_SHOWN = 50;
/** Alerts `/alerts` lists. */
export const ALERTS_SHOWN = 10;
/** The old system's commands, answered even before their device has sent a reading. */
const LEGACY_SHORTCUTS = new Set(["pc1", "pc2", "raspberry"]);

/**
 * Monitoring commands: `/start` (welcome and the devices as buttons),
 * `/devices`, `/status <device>`, `/latest <device>` and its shortcuts
 * `/<device>` (the old `/pc1`, `/pc2`, `/raspberry` among them), `/alerts`,
 * and the device buttons that show a device's readings or status.
 */
export function createMonitoring(deps: MonitoringDeps): Composer<BotContext> {
  const { store, clock, timeZone } = deps;
  const text = { timeZone, hotLimits: deps.hotLimits };
  const monitoring = new Composer<BotContext>();

  // `/<device>` first, so a device named like nothing else is never an "unknown command".
  monitoring.on("message:text", async (ctx, next) => {
    const shortcut = deviceShortcut(ctx.message.text, ctx.me.username);
    if (shortcut === null || COMMAND_NAMES.has(shortcut)) {
      await next();
      return;
    }
    const summary = await store.getDevice(shortcut);
    if (summary) {
      await replyLatest(ctx, summary);
      return;
    }
    if (LEGACY_SHORTCUTS.has(shortcut)) {
      await ctx.reply(`No reading from ${shortcut} yet. /devices lists your devices.`);
      return;
    }
    await next();
  });

  monitoring.command("start", async (ctx) => {
    const page = await store.listDevices({ limit: DEVICES_SHOWN });
    const hello = ctx.access.justPaired
      ? "Paired: this chat is the owner's now and gets the alerts of every device " +
        "(/unsubscribe to choose).\n\n"
      : "";
    const intro = "I watch your machines and warn you before one gets too hot or throttles.";
    if (page.items.length === 0) {
      await ctx.reply(`${hello}${intro}\n\n${NO_DEVICES}`);
      return;
    }
    await ctx.reply(
      fitText(
        `${hello}${intro}\n\n${devicesText(page.items, page.next_cursor)}\n\n` +
          "Press a device for its latest readings; /help lists everything I do.",
      ),
      {
        reply_markup: deviceKeyboard(
          page.items.map((d) => d.device),
          "latest",
          withMark(page.items),
        ),
      },
    );
  });

  monitoring.command("devices", async (ctx) => {
    const page = await store.listDevices({ limit: DEVICES_SHOWN });
    if (page.items.length === 0) {
      await ctx.reply(NO_DEVICES);
      return;
    }
    await ctx.reply(fitText(devicesText(page.items, page.next_cursor)), {
      reply_markup: deviceKeyboard(page.items.map((d) => d.device), "status", withMark(page.items)),
    });
  });

  monitoring.command("status", async (ctx) => {
    const found = await findDevice(store, ctx.match, { command: "status", action: "status" });
    if (!found.ok) {
      await ctx.reply(found.text, { reply_markup: found.reply_markup });
      return;
    }
    await replyStatus(ctx, found.summary);
  });

  monitoring.command("latest", async (ctx) => {
    const found = await findDevice(store, ctx.match, { command: "latest", action: "latest" });
    if (!found.ok) {
      await ctx.reply(found.text, { reply_markup: found.reply_markup });
      return;
    }
    await replyLatest(ctx, found.summary);
  });

  monitoring.command("alerts", async (ctx) => {
    const argument = ctx.match.trim();
    let device: string | undefined;
    if (argument !== "") {
      const found = await findDevice(store, argument, { command: "alerts", action: "status" });
      if (!found.ok) {
        await ctx.reply(found.text, { reply_markup: found.reply_markup });
        return;
      }
      device = found.summary.device;
    }
    const alerts = await store.listAlerts({ limit: ALERTS_SHOWN, ...(device ? { device } : {}) });
    if (alerts.items.length === 0) {
      await ctx.reply(device ? `No alert from ${device} yet.` : "No alert yet.");
      return;
    }
    const verdicts = await verdictsOf(alerts.items, device);
    const now = clock.now();
    const lines = alerts.items.map((alert) => alertLine(alert, verdicts.get(alert.id), now));
    await ctx.reply(
      fitText(`Last alerts${device ? ` of ${device}` : ""}, newest first:\n\n${lines.join("\n")}`),
    );
  });

  monitoring.callbackQuery(/^d[ls]:/, async (ctx) => {
    const button = parseDeviceButton(ctx.callbackQuery.data);
    const summary = button ? await store.getDevice(button.device) : null;
    if (!button || !summary) {
      await ctx.answerCallbackQuery({ text: "I no longer know that device." });
      return;
    }
    await ctx.answerCallbackQuery();
    if (button.action === "latest") await replyLatest(ctx, summary);
    else await replyStatus(ctx, summary);
  });

  async function replyStatus(ctx: BotContext, summary: DeviceSummary) {
    const status = await store.getStatus(summary.device);
    await ctx.reply(fitText(statusText(summary, status, { ...text, now: clock.now() })), {
      reply_markup: actionsOf(summary.device, ["latest", "chart"]),
    });
  }

  async function replyLatest(ctx: BotContext, summary: DeviceSummary) {
    const status = await store.getStatus(summary.device);
    if (!status) {
      await ctx.reply(`No reading from ${summary.device} yet.`);
      return;
    }
    const now = clock.now();
    const time = Date.parse(status.reading.timestamp);
    const { rows, missing } = readingRows(status.reading);
    const head = `${stateMark(summary, now)} <b>${escapeHtml(summary.device)}</b> · ${
      verdictOf(summary, now)
    } · ${clockTime(time, { timeZone, now, seconds: true })} (${ago(time, now)})`;
    const body = [
      head,
      `<pre>${escapeHtml(alignRows(rows))}</pre>`,
      missing.length > 0 ? `No sensor: ${escapeHtml(missing.join(", "))}` : null,
    ].filter(Boolean).join("\n");
    await ctx.reply(fitHtml(body), {
      parse_mode: "HTML",
      reply_markup: actionsOf(summary.device, ["refresh", "chart"]),
    });
  }

  /** The owner's verdicts on these alerts: one look at the feedback of their time range. */
  async function verdictsOf(alerts: readonly Alert[], device?: string) {
    const times = alerts.map((a) => Date.parse(a.timestamp));
    const feedback = await store.listFeedback({
      after: Math.min(...times) - 1,
      before: Math.max(...times) + 1,
      limit: 1000,
      ...(device ? { device } : {}),
    });
    return new Map(feedback.items.map((f: Feedback) => [f.alert_id, f.verdict]));
  }

  function alertLine(alert: Alert, verdict: Feedback["verdict"] | undefined, now: number) {
    const time = clockTime(Date.parse(alert.raised_at), { timeZone, now });
    const first = alert.message.split("\n")[0]!.slice(0, 160);
    const answered = verdict === "right" ? " · ✅ right" : verdict === "wrong" ? " · ❌ wrong" : "";
    return `${time} ${first} · ${alert.state}${answered}`;
  }

  function devicesText(devices: readonly DeviceSummary[], more: string | null): string {
    const now = clock.now();
    const lines = devices.map((d) => deviceLine(d, { ...text, now }));
    if (more) lines.push(`… and more: /status <device> for one not listed`);
    return lines.join("\n");
  }

  function withMark(devices: readonly DeviceSummary[]) {
    const now = clock.now();
    const marks = new Map(devices.map((d) => [d.device, stateMark(d, now)]));
    return (device: string) => `${marks.get(device) ?? ""} ${device}`.trim();
  }

  return monitoring;
}

/** The device of a `/<device>` shortcut, or null when the text is not one (or for another bot). */
export function deviceShortcut(text: string, botUsername: string): string | null {
  const match = /^\/([^\s@]+)(?:@(\S+))?(?:\s|$)/.exec(text);
  if (!match) return null;
  const [, name, addressee] = match;
  if (addressee !== undefined && addressee.toLowerCase() !== botUsername.toLowerCase()) return null;
  return DEVICE_NAME.test(name!) ? name! : null;
}

/** Buttons under a device's message: its readings again, its status, a chart of the last hour. */
function actionsOf(
  device: string,
  which: ("latest" | "refresh" | "chart")[],
): InlineKeyboardMarkup {
  const buttons: InlineKeyboardButton[] = [];
  for (const action of which) {
    const data = deviceButtonData(action === "chart" ? "chart" : "latest", device);
    if (data === null) continue;
    const label = action === "chart"
      ? "📈 chart 1 h"
      : action === "refresh"
      ? "🔄 refresh"
      : "📋 readings";
    buttons.push({ text: label, callback_data: data });
  }
  return { inline_keyboard: buttons.length > 0 ? [buttons] : [] };
}

/** HTML cut to Telegram's limit without leaving a `<pre>` open. */
function fitHtml(html: string): string {
  const fitted = fitText(html, TEXT_MAX - "</pre>".length);
  return fitted.length < html.length && fitted.lastIndexOf("<pre>") > fitted.lastIndexOf("</pre>")
    ? `${fitted}</pre>`
    : fitted;
}
