import assert from "node:assert/strict";
import { CHART_COLORS } from "../shared/charts/mod.ts";
import { aPcHeatUp } from "../testing/a_heat_up.ts";
import { aScored } from "../testing/a_prediction.ts";
import { aStoreWith } from "../testing/a_store.ts";
import { anAlert } from "../testing/an_alert.ts";
import { OWNER_CHAT, startBotUnderTest } from "../testing/bot_test_kit.ts";
import { type DecodedPng, decodePng } from "../testing/decode_png.ts";
import type { RecordedFile } from "../testing/fake_bot_api.ts";

const NOW = Date.parse("2026-01-31T12:15:00.000Z");

/** pc1 heating from 60 to 86.5 °C and back (12:00 to 12:10), and an alert at its peak. */
async function aHeatedStore() {
  const store = await aStoreWith();
  const readings = aPcHeatUp();
  await store.saveScored(readings.map((r) => aScored(r)));
  const peak = readings[59]!.timestamp;
  await store.saveAlert(anAlert("AAAAAAAAAAAAAAAAAAAAAA", "pc1", peak));
  return store;
}

/** Pixels close to a colour. */
function pixels(png: DecodedPng, hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  let n = 0;
  for (let at = 0; at < png.rgba.length; at += 4) {
    if (
      Math.abs(png.rgba[at]! - r!) <= 2 && Math.abs(png.rgba[at + 1]! - g!) <= 2 &&
      Math.abs(png.rgba[at + 2]! - b!) <= 2
    ) n++;
  }
  return n;
}

Deno.test("/chart pc1 sends a real PNG photo: the temperature, the hot limit, the alert mark, a caption", async () => {
  await using store = await aHeatedStore();
  await using bot = await startBotUnderTest({ store, now: NOW, timeZone: "Europe/Berlin" });
  assert.equal((await bot.send(OWNER_CHAT, "/chart pc1")).status, 200);
  const [call] = bot.callsTo(OWNER_CHAT, "sendPhoto");
  assert.ok(call, "a photo was sent");
  const file = call.files.photo as RecordedFile;
  assert.equal(file.filename, "pc1-TemperatureCPUPackage.png");
  const png = decodePng(file.bytes);
  assert.deepEqual([png.width, png.height], [1440, 720], "720 × 360 at scale 2");
  assert.ok(pixels(png, CHART_COLORS.line) > 500, "the line is drawn");
  assert.ok(pixels(png, CHART_COLORS.hotLimit) > 100, "the hot limit is drawn");
  assert.ok(pixels(png, CHART_COLORS.alert) > 20, "the alert is marked");
  assert.equal(
    call.params.caption,
    "pc1 · CPU package temperature · last 1 h (Europe/Berlin)\n" +
      "latest 60.0 °C · min 60.0 °C · max 86.5 °C · hot limit 90 °C · 1 alert(s) marked",
  );
});

Deno.test("/chart pc1 load 30m: another metric and period, no hot limit on a load chart", async () => {
  await using store = await aHeatedStore();
  await using bot = await startBotUnderTest({ store, now: NOW });
  await bot.send(OWNER_CHAT, "/chart pc1 30m load");
  const [call] = bot.callsTo(OWNER_CHAT, "sendPhoto");
  const png = decodePng((call!.files.photo as RecordedFile).bytes);
  assert.equal(pixels(png, CHART_COLORS.hotLimit), 0, "no hot limit line");
  assert.match(
    String(call!.params.caption),
    /^pc1 · CPU load · last 30 min \(UTC\)\nlatest 95.0 % · min 95.0 % · max 95.0 %/,
  );
});

Deno.test("the chart button under a device's message sends the last hour's temperature", async () => {
  await using store = await aHeatedStore();
  await using bot = await startBotUnderTest({ store, now: NOW });
  await bot.send(OWNER_CHAT, "/status pc1");
  await bot.press(bot.lastMessage(OWNER_CHAT), "dc:pc1");
  assert.equal(bot.callsTo(OWNER_CHAT, "sendPhoto").length, 1);
  assert.equal(bot.telegram.calls("answerCallbackQuery").length, 1);
});

Deno.test("/chart: no readings in the period, an unknown metric, a period out of range: told, no photo", async () => {
  await using store = await aHeatedStore();
  await using bot = await startBotUnderTest({ store, now: NOW + 2 * 3_600_000 });
  await bot.send(OWNER_CHAT, "/chart pc1");
  await bot.send(OWNER_CHAT, "/chart pc1 humidity");
  await bot.send(OWNER_CHAT, "/chart pc1 temp 90d");
  await bot.send(OWNER_CHAT, "/chart");
  assert.deepEqual(bot.textsTo(OWNER_CHAT), [
    "No CPU package temperature from pc1 in the last 1 h.",
    "I cannot chart 'humidity'. Metrics: temp, load, power, clock, gpu, gpuload (or a reading " +
    "field); period: 30m, 6h, 1d ... up to 7d. E.g. /chart <device> temp 6h",
    "A chart covers 5 min to 7 d, not 90 d.",
    "No CPU package temperature from pc1 in the last 1 h.", // the only device
  ]);
  assert.equal(bot.telegram.calls("sendPhoto").length, 0);
});
