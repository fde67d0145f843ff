import assert from "node:assert/strict";
import {
  ALERT_BUTTON_ACTIONS,
  alertButtonData,
  alertButtonKey,
  alertKeyboard,
  CALLBACK_DATA_MAX_BYTES,
  parseAlertButton,
} from "./alert_buttons.ts";

const uuid = "3f1c2a9e-7b4d-4e21-9a57-0c8d6e5f4b3a";
const longestDevice = "d".repeat(64);
const byteLength = (text: string) => new TextEncoder().encode(text).length;

Deno.test("parseAlertButton() reads back the action and the alert id of every alert button", () => {
  const alertId = alertButtonKey(`pc1-${uuid}`);
  for (const action of ALERT_BUTTON_ACTIONS) {
    assert.deepEqual(parseAlertButton(alertButtonData(action, alertId)), {
      ok: true,
      action,
      key: alertId,
    });
  }
});

Deno.test("alertButtonKey() is the same for the same alert and differs between alerts", () => {
  assert.equal(alertButtonKey(`pc1-${uuid}`), alertButtonKey(`pc1-${uuid}`));
  assert.notEqual(alertButtonKey(`pc1-${uuid}`), alertButtonKey(`pc2-${uuid}`));
  assert.notEqual(
    alertButtonKey(`pc1-${uuid}`),
    alertButtonKey(`pc1-${uuid.replace(/a$/, "b")}`),
  );
  assert.match(alertButtonKey(`pc1-${uuid}`), /^[A-Za-z0-9_-]{22}$/);
});

Deno.test("alert button data fits Telegram's 64 bytes with the longest device name", () => {
  const natural = `${longestDevice}-${uuid}`;
  assert.ok(byteLength(natural) > CALLBACK_DATA_MAX_BYTES, "the natural id would not fit");
  const alertId = alertButtonKey(natural);
  for (const action of ALERT_BUTTON_ACTIONS) {
    const data = alertButtonData(action, alertId);
    assert.ok(byteLength(data) <= CALLBACK_DATA_MAX_BYTES, `${data}: ${byteLength(data)} bytes`);
    assert.equal(parseAlertButton(data).ok, true);
  }
});

Deno.test("alertKeyboard() is one row of right, wrong and mute, marking the verdict given", async (t) => {
  const alertId = alertButtonKey(`raspberry-${uuid}`);
  await t.step("without a verdict", () => {
    const { inline_keyboard } = alertKeyboard(alertId);
    assert.equal(inline_keyboard.length, 1);
    assert.deepEqual(
      inline_keyboard[0].map((button) => button.text),
      ["✅ right", "❌ wrong", "🔕 1 h"],
    );
    assert.deepEqual(
      inline_keyboard[0].map((button) =>
        "callback_data" in button ? parseAlertButton(button.callback_data) : null
      ),
      ALERT_BUTTON_ACTIONS.map((action) => ({
        ok: true,
        action,
        key: alertId,
      })),
    );
  });
  await t.step("with the verdict 'wrong'", () => {
    assert.deepEqual(
      alertKeyboard(alertId, { verdict: "wrong" }).inline_keyboard[0].map((button) => button.text),
      ["✅ right", "«❌ wrong»", "🔕 1 h"],
    );
  });
});

Deno.test("parseAlertButton() answers malformed callback data with a reason and never throws", async (t) => {
  const key = alertButtonKey(`pc1-${uuid}`);
  const cases: [string, unknown, RegExp][] = [
    ["no data", undefined, /no callback data/],
    ["not a string", 42, /no callback data/],
    ["empty", "", /not an alert button/],
    ["another button of the bot", "device:pc1", /not an alert button/],
    ["a future format", `alert2:right:${key}`, /not an alert button/],
    ["unknown action", `alert:maybe:${key}`, /unknown alert button action 'maybe'/],
    ["inherited property as action", `alert:toString:${key}`, /unknown alert button action/],
    ["key too short", "alert:right:abc", /malformed alert key 'abc'/],
    ["key with a bad character", `alert:right:${key.slice(0, 21)}/`, /malformed alert key/],
    ["the alert id instead of the key", `alert:right:pc1-${uuid}`, /malformed alert key/],
    ["extra part", `alert:right:${key}:x`, /not an alert button/],
    ["missing key", "alert:right", /not an alert button/],
    ["over 64 bytes", `alert:right:${"é".repeat(30)}`, /longer than 64 bytes/],
  ];
  for (const [name, data, reason] of cases) {
    await t.step(name, () => {
      const parsed = parseAlertButton(data);
      assert.equal(parsed.ok, false);
      if (!parsed.ok) assert.match(parsed.reason, reason);
    });
  }
});

Deno.test("alertButtonData() refuses what is not an alert id, or an unknown action", () => {
  assert.throws(() => alertButtonData("right", ""), /'alertId' must be an alert id/);
  assert.throws(
    () => alertButtonData("right", `pc1-${uuid}`),
    /'alertId' must be an alert id \(22 base64url characters, see alertIdOf\(\)\), got 'pc1-/,
  );
  assert.throws(
    () => alertButtonData("maybe" as "right", alertButtonKey(`pc1-${uuid}`)),
    /'action' must be one of right, wrong, mute_1h, got 'maybe'/,
  );
});
