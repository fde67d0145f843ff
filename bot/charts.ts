import { Composer, InputFile } from "grammy/web";
import { type ChartPoint, renderChartPng } from "../shared/charts/mod.ts";
import type { Clock } from "../shared/clock.ts";
import { readingHistory } from "../shared/store/reading_history.ts";
import type { DeviceSummary } from "../shared/store/records.ts";
import type { Store } from "../shared/store/store.ts";
import type { BotContext } from "./bot_context.ts";
import { type ChartMetric, DEFAULT_PERIOD_MS, parseChartRequest } from "./chart_request.ts";
import { parseDeviceButton } from "./device_buttons.ts";
import { findDevice } from "./find_device.ts";
import { hotLimitOf } from "./format_device.ts";
import { formatDuration } from "./format_time.ts";
import { CAPTION_MAX, fitText } from "./message_text.ts";

export interface ChartsDeps {
  store: Pick<Store, "getDevice" | "listDevices" | "listReadings" | "listAlerts">;
  clock: Clock;
  /** The owner's time zone (`TZ`): the time axis is labelled in it. */
  timeZone: string;
  /** Per-device hot limits (`HOT_LIMITS`), °C. */
  hotLimits?: Readonly<Record<string, number>>;
}

/** Alerts marked on one chart, at most. */
const ALERT_MARKS = 100;

/**
 * Charts: `/chart <device> [metric] [period]` and the "📈 chart 1 h" button
 * send a PNG of the device's metric over the period (min, mean and max per
 * step from `readingHistory()`, drawn by `renderChartPng()`), with the hot
 * limit on temperature charts, alerts as marks and times in the owner's
 * zone.
 */
export function createCharts(deps: ChartsDeps): Composer<BotContext> {
  const { store, clock, timeZone } = deps;
  const charts = new Composer<BotContext>();

  charts.command("chart", async (ctx) => {
    const [device = "", ...rest] = ctx.match.trim().split(/\s+/).filter(Boolean);
    const found = await findDevice(store, device, { command: "chart", action: "chart" });
    if (!found.ok) {
      await ctx.reply(found.text, { reply_markup: found.reply_markup });
      return;
    }
    const request = parseChartRequest(rest, found.summary.profile);
    if (!request.ok) {
      await ctx.reply(request.text);
      return;
    }
    await sendChart(ctx, found.summary, request.metric, request.periodMs);
  });

  charts.callbackQuery(/^dc:/, async (ctx) => {
    const button = parseDeviceButton(ctx.callbackQuery.data);
    const summary = button ? await store.getDevice(button.device) : null;
    if (!summary) {
      await ctx.answerCallbackQuery({ text: "I no longer know that device." });
      return;
    }
    await ctx.answerCallbackQuery();
    const request = parseChartRequest([], summary.profile);
    if (request.ok) await sendChart(ctx, summary, request.metric, DEFAULT_PERIOD_MS);
  });

  async function sendChart(
    ctx: BotContext,
    summary: DeviceSummary,
    metric: ChartMetric,
    periodMs: number,
  ) {
    const to = clock.now();
    const from = to - periodMs;
    const period = formatDuration(periodMs);
    const history = await readingHistory(store, summary.device, { metric: metric.field, from, to });
    if (history.points.length === 0) {
      await ctx.reply(
        `No ${metric.label} from ${summary.device} in the last ${period}.`,
      );
      return;
    }
    const f = metric.factor;
    const series: ChartPoint[] = history.points.map((p) => ({
      time: p.time,
      min: p.min * f,
      mean: p.mean * f,
      max: p.max * f,
    }));
    const alerts = await store.listAlerts({
      device: summary.device,
      after: from - 1,
      before: to,
      limit: ALERT_MARKS,
    });
    const hotLimit = metric.hot ? hotLimitOf(summary, deps.hotLimits) : null;
    const png = await renderChartPng(series, {
      title: `${summary.device} · ${metric.label}`,
      unit: metric.unit,
      timeZone,
      hotLimit,
      alerts: alerts.items.map((a) => Date.parse(a.timestamp)),
      from,
      to,
      scale: 2,
    });
    const min = Math.min(...history.points.map((p) => p.min)) * f;
    const max = Math.max(...history.points.map((p) => p.max)) * f;
    const latest = history.points.at(-1)!.mean * f;
    const value = (v: number) => `${round(v)} ${metric.unit}`.trim();
    const caption = [
      `${summary.device} · ${metric.label} · last ${period} (${timeZone})`,
      [
        `latest ${value(latest)}`,
        `min ${value(min)}`,
        `max ${value(max)}`,
        hotLimit !== null ? `hot limit ${hotLimit} °C` : null,
        alerts.items.length > 0 ? `${alerts.items.length} alert(s) marked` : null,
      ].filter(Boolean).join(" · "),
    ].join("\n");
    await ctx.replyWithPhoto(new InputFile(png, `${summary.device}-${metric.field}.png`), {
      caption: fitText(caption, CAPTION_MAX),
    });
  }

  return charts;
}

function round(value: number): string {
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return value.toFixed(digits);
}
