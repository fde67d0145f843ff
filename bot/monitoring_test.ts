import assert from "node:assert/strict";
import type { InlineKeyboardMarkup } from "grammy/types";
import { aPcReading, aRaspberryReading, later } from "../testing/a_reading.ts";
import { aScored } from "../testing/a_prediction.ts";
import { aStoreWith } from "../testing/a_store.ts";
import { anAlert } from "../testing/an_alert.ts";
import { OWNER_CHAT, startBotUnderTest } from "../testing/bot_test_kit.ts";
import { deviceShortcut } from "./monitoring.ts";

/** pc1 hot and likely stressed, a Pi under-voltage, and a device named like no command. */
async function aFleet() {
  const store = await aStoreWith();
  const pc = aPcReading({ timestamp: "2026-01-31T12:00:50.000Z", TemperatureCPUPackage: 84 });
  await store.saveScored([
    aScored(later(pc, -5)),
    aScored(pc, {
      probability: 0.93,
      stressed_soon: true,
      reasons: ["CPU 94 % busy at 80 W", "temperature rising 1.2 °C/min"],
      model: "pc/v3",
    }),
  ]);
  const pi = aRaspberryReading({ timestamp: "2026-01-31T12:00:55.000Z", throttled: "0x50005" });
  await store.saveScored([aScored(later(pi, -5)), aScored(pi, { stressed_now: true })]);
  await store.saveScored([
    aScored(aPcReading({ device: "nas.lan-2", timestamp: "2026-01-31T11:00:00.000Z" })),
  ]);
  return store;
}

const keyboardOf = (markup: unknown) =>
  (markup as InlineKeyboardMarkup).inline_keyboard.flat().map((b) => [
    b.text,
    "callback_data" in b ? b.callback_data : null,
  ]);

Deno.test("/start welcomes the owner and lists the devices as buttons", async () => {
  await using store = await aFleet();
  await using bot = await startBotUnderTest({ store });
  await bot.send(OWNER_CHAT, "/start");
  const [call] = bot.callsTo(OWNER_CHAT, "sendMessage");
  assert.match(String(call!.params.text), /^I watch your machines/);
  assert.match(
    String(call!.params.text),
    /🟠 pc1 · pc · likely stressed within a minute · p 0\.93 · 10 s ago/,
  );
  assert.match(String(call!.params.text), /🔴 raspberry · raspberry · stressed now/);
  assert.match(String(call!.params.text), /⚫ nas\.lan-2 · pc · offline/);
  assert.deepEqual(keyboardOf(call!.params.reply_markup), [
    ["⚫ nas.lan-2", "dl:nas.lan-2"],
    ["🟠 pc1", "dl:pc1"],
    ["🔴 raspberry", "dl:raspberry"],
  ]);
  // Pressing a device shows its latest readings.
  await bot.press(bot.lastMessage(OWNER_CHAT), "dl:raspberry");
  assert.equal(bot.telegram.calls("answerCallbackQuery").length, 1);
  assert.match(bot.textsTo(OWNER_CHAT).at(-1)!, /<b>raspberry<\/b>/);
});

Deno.test("/start with no device yet says how to get one", async () => {
  await using bot = await startBotUnderTest();
  await bot.send(OWNER_CHAT, "/start");
  assert.match(bot.textsTo(OWNER_CHAT)[0]!, /No device has sent a reading yet/);
});

Deno.test("/devices lists each device's state; its buttons show the status", async () => {
  await using store = await aFleet();
  await store.setMute("pc1", "2026-01-31T13:00:00.000Z");
  await using bot = await startBotUnderTest({ store });
  await bot.send(OWNER_CHAT, "/devices");
  assert.deepEqual(bot.textsTo(OWNER_CHAT)[0]!.split("\n"), [
    "⚫ nas.lan-2 · pc · offline · p 0.10 · 1 h 1 min ago",
    "🟠🔕 pc1 · pc · likely stressed within a minute · p 0.93 · 10 s ago",
    "🔴 raspberry · raspberry · stressed now · p 0.10 · 5 s ago",
  ]);
  await bot.press(bot.lastMessage(OWNER_CHAT), "ds:pc1");
  assert.match(
    bot.textsTo(OWNER_CHAT).at(-1)!,
    /^🟠🔕 pc1 \(pc\): likely stressed within a minute/,
  );
});

Deno.test("/status <device>: verdict, probability, online, the main numbers, muted, why", async () => {
  await using store = await aFleet();
  await store.setMute("pc1", "2026-01-31T13:00:00.000Z");
  await using bot = await startBotUnderTest({
    store,
    timeZone: "Europe/Berlin",
    hotLimits: { pc1: 85 },
  });
  await bot.send(OWNER_CHAT, "/status pc1");
  assert.deepEqual(bot.textsTo(OWNER_CHAT)[0]!.split("\n"), [
    "🟠🔕 pc1 (pc): likely stressed within a minute",
    "p 0.93 (alert at 0.50) · pc/v3",
    "online · last reading 13:00:50 (10 s ago)",
    "CPU 84.0 °C of a 85 °C limit · load 20 % · 35.5 W",
    "🔕 muted until 14:00",
    "Why:",
    "- CPU 94 % busy at 80 W",
    "- temperature rising 1.2 °C/min",
  ]);
  assert.deepEqual(keyboardOf(bot.callsTo(OWNER_CHAT, "sendMessage")[0]!.params.reply_markup), [
    ["📋 readings", "dl:pc1"],
    ["📈 chart 1 h", "dc:pc1"],
  ]);
});

Deno.test("/latest <device>: a table with units, the Pi's throttled bits by name, in the owner's time zone", async () => {
  await using store = await aFleet();
  await using bot = await startBotUnderTest({ store, timeZone: "Asia/Kolkata" });
  await bot.send(OWNER_CHAT, "/latest raspberry");
  const [call] = bot.callsTo(OWNER_CHAT, "sendMessage");
  assert.equal(call!.params.parse_mode, "HTML");
  const text = String(call!.params.text);
  assert.match(text, /^🔴 <b>raspberry<\/b> · stressed now · 17:30:55 \(5 s ago\)\n<pre>/);
  assert.match(text, /CPU temp +50\.6 °C\n/);
  assert.match(text, /ARM clock +1500 MHz\n/);
  assert.match(
    text,
    /Throttled +now: under-voltage, throttled; since boot: under-voltage, throttled \(0x50005\)/,
  );
  assert.match(text, /<\/pre>$/);
});

Deno.test("/latest without a device: the only device, or the question which one with buttons", async () => {
  await using store = await aStoreWith([aPcReading()]);
  await using bot = await startBotUnderTest({ store });
  await bot.send(OWNER_CHAT, "/latest");
  assert.match(bot.textsTo(OWNER_CHAT)[0]!, /<b>pc1<\/b>/);
  await store.saveScored([aScored(aRaspberryReading())]);
  await bot.send(OWNER_CHAT, "/latest");
  const [, ask] = bot.callsTo(OWNER_CHAT, "sendMessage");
  assert.match(
    String(ask!.params.text),
    /^Which device\? Send \/latest <device>, or press one:\npc1, raspberry$/,
  );
  assert.deepEqual(keyboardOf(ask!.params.reply_markup), [["pc1", "dl:pc1"], [
    "raspberry",
    "dl:raspberry",
  ]]);
});

Deno.test("shortcuts: /pc1, /raspberry and /<any device> show the latest readings; /pc2 before its first reading says so", async () => {
  await using store = await aFleet();
  await using bot = await startBotUnderTest({ store });
  await bot.send(OWNER_CHAT, "/pc1");
  await bot.send(OWNER_CHAT, "/raspberry@stresswatch_test_bot");
  await bot.send(OWNER_CHAT, "/nas.lan-2");
  await bot.send(OWNER_CHAT, "/pc2");
  await bot.send(OWNER_CHAT, "/pc1@another_bot");
  const texts = bot.textsTo(OWNER_CHAT);
  assert.match(texts[0]!, /<b>pc1<\/b>.*\n<pre>CPU temp +84\.0 °C/);
  assert.match(texts[1]!, /<b>raspberry<\/b>/);
  assert.match(texts[2]!, /<b>nas\.lan-2<\/b>/);
  assert.equal(texts[3], "No reading from pc2 yet. /devices lists your devices.");
  assert.equal(texts.length, 4, "a command for another bot is not ours");
});

Deno.test("unknown device, a name that cannot be one, unknown command: helpful answers", async () => {
  await using store = await aFleet();
  await using bot = await startBotUnderTest({ store });
  await bot.send(OWNER_CHAT, "/status pcx");
  await bot.send(OWNER_CHAT, "/status ../etc");
  await bot.send(OWNER_CHAT, `/status ${"x".repeat(4000)}`);
  await bot.send(OWNER_CHAT, "/frobnicate now");
  await bot.send(OWNER_CHAT, "hello");
  const [unknown, invalid, long, command, hello] = bot.textsTo(OWNER_CHAT);
  assert.equal(unknown, "I know no device 'pcx'. Your devices: nas.lan-2, pc1, raspberry");
  assert.equal(
    invalid,
    "'../etc' cannot be a device name: names are 1-64 letters, digits, '.', '_' or '-', and not '.' or '..'.",
  );
  assert.ok(long!.length < 200, "an over-long argument is echoed in part only");
  assert.match(long!, /^'x{39}…' cannot be a device name/);
  assert.equal(
    command,
    "I do not know /frobnicate. /help lists what I can do; /devices your devices.",
  );
  assert.equal(hello, "Send /help to see what I can do.");
});

Deno.test("/alerts lists the last alerts with their state and the owner's verdict", async () => {
  await using store = await aFleet();
  await store.saveAlert(anAlert("AAAAAAAAAAAAAAAAAAAAAA", "pc1", "2026-01-31T11:50:00.000Z", {
    message: "pc1: likely to be stressed within a minute (p=0.93)\nCPU 84 °C",
  }));
  await store.saveAlert(anAlert("BBBBBBBBBBBBBBBBBBBBBB", "raspberry", "2026-01-31T11:55:00.000Z", {
    message: "raspberry: power supply too weak: under-voltage now",
    profile: "raspberry",
    kind: "under_voltage",
  }));
  await store.saveFeedback({
    alert_id: "AAAAAAAAAAAAAAAAAAAAAA",
    device: "pc1",
    timestamp: "2026-01-31T11:50:00.000Z",
    verdict: "right",
    given_at: "2026-01-31T11:51:00.000Z",
  });
  await using bot = await startBotUnderTest({ store });
  await bot.send(OWNER_CHAT, "/alerts");
  await bot.send(OWNER_CHAT, "/alerts pc1");
  await bot.send(OWNER_CHAT, "/alerts nas.lan-2");
  const [all, pc1, none] = bot.textsTo(OWNER_CHAT);
  assert.equal(
    all,
    "Last alerts, newest first:\n\n" +
      "11:55 raspberry: power supply too weak: under-voltage now · pending\n" +
      "11:50 pc1: likely to be stressed within a minute (p=0.93) · pending · ✅ right",
  );
  assert.match(pc1!, /^Last alerts of pc1, newest first:\n\n11:50 pc1: .* · ✅ right$/);
  assert.equal(none, "No alert from nas.lan-2 yet.");
});

Deno.test("deviceShortcut() reads /<device> and /<device>@<this bot>, nothing else", () => {
  assert.equal(deviceShortcut("/pc1", "bot"), "pc1");
  assert.equal(deviceShortcut("/pc1@Bot extra", "bot"), "pc1");
  assert.equal(deviceShortcut("/pc1@other", "bot"), null);
  assert.equal(deviceShortcut("pc1", "bot"), null);
  assert.equal(deviceShortcut("/..", "bot"), null);
  assert.equal(deviceShortcut("/a/b", "bot"), null);
});
