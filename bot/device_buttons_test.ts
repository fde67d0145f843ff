import assert from "node:assert/strict";
import { deviceButtonData, deviceKeyboard, parseDeviceButton } from "./device_buttons.ts";

Deno.test("device buttons: data reads back, fits 64 bytes, and long names get no button", () => {
  for (const action of ["latest", "status", "chart"] as const) {
    const data = deviceButtonData(action, "raspberry-pi.lan")!;
    assert.deepEqual(parseDeviceButton(data), { action, device: "raspberry-pi.lan" });
  }
  const longest = "d".repeat(61);
  assert.equal(deviceButtonData("latest", longest)!.length, 64);
  assert.equal(deviceButtonData("latest", `${longest}x`), null);
  const keyboard = deviceKeyboard(["a", "b", "c", "d", `${longest}x`], "status");
  assert.deepEqual(keyboard.inline_keyboard.map((row) => row.map((b) => b.text)), [
    ["a", "b", "c"],
    ["d"],
  ]);
});

Deno.test("parseDeviceButton() refuses what is not a device button", () => {
  for (const data of ["alert:right:abc", "dx:pc1", "dl:..", "dl:", "dl:a b", 42, undefined]) {
    assert.equal(parseDeviceButton(data), null, String(data));
  }
});
