import assert from "node:assert/strict";
import { aPcReading, aRaspberryReading } from "../testing/a_reading.ts";
import { aScored } from "../testing/a_prediction.ts";
import { aStoreWith } from "../testing/a_store.ts";
import { OWNER_CHAT, startBotUnderTest, STRANGER_CHAT } from "../testing/bot_test_kit.ts";

Deno.test("/mute <device> <duration> mutes it in the store until then; /unmute undoes it", async () => {
  await using store = await aStoreWith([aPcReading()]);
  await using bot = await startBotUnderTest({ store, timeZone: "Europe/Berlin" });
  await bot.send(OWNER_CHAT, "/mute pc1 2h");
  assert.equal((await store.getDevice("pc1"))!.muted_until, "2026-01-31T14:01:00.000Z");
  await bot.send(OWNER_CHAT, "/unmute pc1");
  assert.equal((await store.getDevice("pc1"))!.muted_until, null);
  await bot.send(OWNER_CHAT, "/unmute pc1");
  assert.deepEqual(bot.textsTo(OWNER_CHAT), [
    "🔕 pc1 muted for 2 h, until 15:01: its alerts are kept, not sent. /unmute pc1 to undo.",
    "🔔 pc1 unmuted: its alerts are sent again.",
    "pc1 was not muted; its alerts are sent.",
  ]);
});

Deno.test("/mute: an hour without a duration; a bad duration or device is answered, nothing muted", async () => {
  await using store = await aStoreWith([aPcReading()]);
  await using bot = await startBotUnderTest({ store });
  await bot.send(OWNER_CHAT, "/mute pc1 forever");
  await bot.send(OWNER_CHAT, "/mute pc1 90d");
  await bot.send(OWNER_CHAT, "/mute pcx 1h");
  assert.equal((await store.getDevice("pc1"))!.muted_until, null);
  await bot.send(OWNER_CHAT, "/mute pc1");
  assert.equal((await store.getDevice("pc1"))!.muted_until, "2026-01-31T13:01:00.000Z");
  const texts = bot.textsTo(OWNER_CHAT);
  assert.equal(
    texts[0],
    "'forever' is not a duration from 1 min to 30 d: e.g. /mute pc1 30m, 2h or 1d.",
  );
  assert.match(texts[1]!, /^'90d' is not a duration from 1 min to 30 d/);
  assert.equal(texts[2], "I know no device 'pcx'. Your devices: pc1");
  assert.match(texts[3]!, /^🔕 pc1 muted for 1 h, until 13:01/);
});

Deno.test("/subscribe and /unsubscribe per device and all; every device spelt out when one is dropped", async () => {
  await using store = await aStoreWith([aPcReading(), aRaspberryReading()]);
  await store.saveScored([aScored(aPcReading({ device: "pc2" }))]);
  await using bot = await startBotUnderTest({ store });
  // A paired chat: subscribed to every device when it paired.
  await bot.send(STRANGER_CHAT, `/start ${bot.pairing.current().code}`);
  assert.deepEqual(await store.listSubscriptions(STRANGER_CHAT), ["*"]);
  await bot.send(STRANGER_CHAT, "/subscribe");
  await bot.send(STRANGER_CHAT, "/unsubscribe pc2");
  assert.deepEqual(await store.listSubscriptions(STRANGER_CHAT), ["pc1", "raspberry"]);
  await bot.send(STRANGER_CHAT, "/unsubscribe raspberry");
  assert.deepEqual(await store.listSubscriptions(STRANGER_CHAT), ["pc1"]);
  await bot.send(STRANGER_CHAT, "/subscribe pc2");
  assert.deepEqual(await store.listSubscriptions(STRANGER_CHAT), ["pc1", "pc2"]);
  await bot.send(STRANGER_CHAT, "/unsubscribe all");
  assert.deepEqual(await store.listSubscriptions(STRANGER_CHAT), []);
  await bot.send(STRANGER_CHAT, "/subscribe all");
  assert.deepEqual(await store.listSubscriptions(STRANGER_CHAT), ["*"]);
  assert.deepEqual(bot.textsTo(STRANGER_CHAT).slice(1), [
    "This chat gets the alerts of: every device, new ones included.\n" +
    "/subscribe <device> or all; /unsubscribe <device> or all.",
    "This chat got every device's alerts; now those of pc1, raspberry, without pc2. New devices " +
    "are not included: /subscribe all to get every device again.",
    "This chat gets no alerts of raspberry now.",
    "This chat gets pc2's alerts now.",
    "This chat gets no device's alerts now. /subscribe all to undo.",
    "This chat gets the alerts of every device now, new ones included.",
  ]);
});

Deno.test("/unsubscribe in a TELEGRAM_ALLOWED_CHAT_IDS chat says that it still gets every alert", async () => {
  await using store = await aStoreWith([aPcReading()]);
  await using bot = await startBotUnderTest({ store });
  await bot.send(OWNER_CHAT, "/unsubscribe pc1");
  assert.match(
    bot.textsTo(OWNER_CHAT)[0]!,
    /^This chat was not subscribed to pc1\. \(This chat is in TELEGRAM_ALLOWED_CHAT_IDS, which gets every device's alerts whatever it subscribes to\.\)$/,
  );
});
