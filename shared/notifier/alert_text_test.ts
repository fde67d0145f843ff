import assert from "node:assert/strict";
import { newAlertRecord } from "../store/alert_records.ts";
import { anAlert } from "../../testing/an_alert.ts";
import { alertText, formatDuration, TELEGRAM_TEXT_MAX } from "./alert_text.ts";

const RAISED = "2026-01-31T12:01:00.000Z";
const at = (iso: string) => Date.parse(iso);
const MAX_AGE = 5 * 60_000;

Deno.test("alertText() is the alert's message when it goes out in time", () => {
  const alert = newAlertRecord(anAlert("a1", "pc1", RAISED, { message: "pc1: CPU 84 °C" }));
  assert.equal(
    alertText(alert, { now: at("2026-01-31T12:05:00.000Z"), maxAgeMs: MAX_AGE }),
    "pc1: CPU 84 °C",
  );
});

Deno.test("alertText() says how late an alert older than the max age is", async (t) => {
  await t.step("from the time of the reading that raised it", () => {
    const alert = newAlertRecord(anAlert("a1", "pc1", RAISED, { message: "pc1: CPU 84 °C" }));
    assert.equal(
      alertText(alert, { now: at("2026-01-31T12:15:00.000Z"), maxAgeMs: MAX_AGE }),
      "⏰ Sent 14 min late: this is about 2026-01-31 12:01 UTC.\n\npc1: CPU 84 °C",
    );
  });

  await t.step("an offline alert from when the silence was noticed, not its last reading", () => {
    const alert = newAlertRecord(anAlert("off1", "pc1", "2026-01-31T12:10:00.000Z", {
      kind: "offline",
      timestamp: RAISED,
      message: "pc1 is offline",
    }));
    assert.equal(
      alertText(alert, { now: at("2026-01-31T12:12:00.000Z"), maxAgeMs: MAX_AGE }),
      "pc1 is offline",
    );
  });
});

Deno.test("alertText() cuts a message to Telegram's 4096 characters without splitting an emoji", () => {
  const long = "x".repeat(TELEGRAM_TEXT_MAX - 2) + "🔥🔥🔥";
  const alert = newAlertRecord(anAlert("a1", "pc1", RAISED, { message: long }));
  const text = alertText(alert, { now: at(RAISED), maxAgeMs: MAX_AGE });
  assert.ok(text.length <= TELEGRAM_TEXT_MAX, `${text.length} characters`);
  assert.ok(text.endsWith("x…"), text.slice(-4));
  assert.ok(text.isWellFormed());
});

Deno.test("formatDuration() reads as a person would say it", () => {
  assert.equal(formatDuration(45_000), "45 s");
  assert.equal(formatDuration(14 * 60_000), "14 min");
  assert.equal(formatDuration(200 * 60_000), "3 h 20 min");
  assert.equal(formatDuration(3 * 3_600_000), "3 h");
  assert.equal(formatDuration(52 * 3_600_000), "2 d 4 h");
});
