import assert from "node:assert/strict";
import { fleet } from "../models/simulate/simulate_fleet.ts";
import { createSimulatedSensors } from "../models/simulate/simulated_sensors.ts";
import { parseEnv } from "../shared/config/parse_env.ts";
import { createFakeClock } from "../testing/fake_clock.ts";
import { silentLogger } from "../shared/log.ts";
import { alertKeyboard } from "../shared/telegram/alert_buttons.ts";
import { startFakeBotApi } from "../testing/fake_bot_api.ts";
import { startLocalSystem } from "./local_system.ts";
import { StartConfigSchema } from "./start_config.ts";

/** Fetches JSON from the running system, retrying briefly while the consumer catches up. */
async function eventually<T>(url: string, check: (body: T) => boolean): Promise<T> {
  let last: unknown;
  for (let i = 0; i < 100; i++) {
    const res = await fetch(url);
    last = await res.json();
    if (res.ok && check(last as T)) return last as T;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${url} never answered as expected; last: ${JSON.stringify(last).slice(0, 500)}`);
}

Deno.test("deno task start --simulate 2: simulated devices are scored by the shipped models and alert within minutes, on Telegram with TELEGRAM_BOT_TOKEN", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "monitor-sim-" });
  await using telegram = await startFakeBotApi();
  const clock = createFakeClock(Date.parse("2026-03-01T12:00:00.000Z"));
  const config = parseEnv(StartConfigSchema, {
    PORT: "0",
    DATA_DIR: dataDir,
    MODELS_DIR: "./models/trained",
    TELEGRAM_BOT_TOKEN: telegram.token,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    TELEGRAM_ALLOWED_CHAT_IDS: "42",
  });
  // This machine's sensors are a simulated quiet pc too, so the test does not depend on the host.
  const [quiet] = fleet({ devices: 1, seed: 99, prefix: "host" });
  const system = await startLocalSystem({
    config,
    device: "this-host",
    log: silentLogger,
    clock,
    sensors: createSimulatedSensors(quiet!, { clock }),
    simulate: 2,
  });
  try {
    for (let second = 0; second < 5 * 60; second += 5) await clock.advance(5_000);
    const devices = await eventually<
      { items: { device: string; simulated?: boolean; readings: number }[] }
    >(
      `${system.url}/v1/devices`,
      (body) => body.items.filter((d) => d.readings >= 50).length === 3,
    );
    const byName = Object.fromEntries(devices.items.map((d) => [d.device, d]));
    assert.equal(byName["sim-pc-1"]?.simulated, true);
    assert.equal(byName["sim-pi-1"]?.simulated, true);
    assert.equal(
      byName["this-host"]?.simulated,
      undefined,
      "this machine is not flagged simulated",
    );

    const status = await (await fetch(`${system.url}/v1/devices/sim-pc-1/status`)).json();
    assert.match(status.prediction.model, /^pc@[0-9a-f]{12}$/, "scored by the shipped pc model");
    assert.equal(status.prediction.simulated, true);
    assert.equal(status.reading.simulated, true);

    interface AlertItem {
      id: string;
      kind: string;
      device: string;
      simulated?: boolean;
      model: string;
      state: string;
      deliveries: { chat_id: number; message_id: number }[];
    }
    const alerts = await eventually<{ items: AlertItem[] }>(
      `${system.url}/v1/alerts`,
      (body) => body.items.some((a) => a.device === "sim-pc-1" && a.kind === "stress"),
    );
    const alert = alerts.items.find((a) => a.device === "sim-pc-1" && a.kind === "stress")!;
    assert.equal(alert.simulated, true);
    assert.match(alert.model, /^pc@/);

    // The alert reached the owner's chat with its buttons, and its message id is kept.
    const sent = await eventually<{ items: AlertItem[] }>(
      `${system.url}/v1/alerts`,
      (body) => body.items.some((a) => a.id === alert.id && a.state === "sent"),
    );
    const [delivery] = sent.items.find((a) => a.id === alert.id)!.deliveries;
    const message = telegram.messages(42).find((m) => m.message_id === delivery?.message_id);
    assert.ok(message, "the alert's message is in the owner's chat");
    assert.deepEqual(message.reply_markup, alertKeyboard(alert.id));
  } finally {
    await system.stop();
    await Deno.remove(dataDir, { recursive: true });
  }
});
