import type { BotCommand } from "grammy/types";

/**
 * The bot's command menu (`setMyCommands`, by `bot:set-webhook` and at the
 * start of polling) and the commands its features answer. `/start` is left
 * out of the menu: Telegram shows its own Start button.
 */
export const BOT_COMMANDS: readonly BotCommand[] = [
  { command: "devices", description: "Your devices and how they are" },
  { command: "status", description: "A device's state: /status pc1" },
  { command: "latest", description: "Latest readings: /latest pc1 (or just /pc1)" },
  { command: "chart", description: "A chart: /chart pc1 temp 6h" },
  { command: "alerts", description: "The last alerts and your answers" },
  { command: "mute", description: "Hold back a device's alerts: /mute pc1 2h" },
  { command: "unmute", description: "Send a device's alerts again: /unmute pc1" },
  { command: "subscribe", description: "Get a device's alerts here: /subscribe pc1" },
  { command: "unsubscribe", description: "Stop a device's alerts here: /unsubscribe pc1" },
  { command: "help", description: "What I can do" },
];

/** The updates the bot asks Telegram for: messages and button presses, nothing else. */
export const ALLOWED_UPDATES = ["message", "callback_query"] as const;

/** Every command name a feature answers, so `/<device>` never shadows one. */
export const COMMAND_NAMES: ReadonlySet<string> = new Set([
  "start",
  ...BOT_COMMANDS.map((c) => c.command),
]);

/** The text of `/help`. */
export const HELP_TEXT = `I watch your machines and warn you before one gets too hot or throttles.

/devices – your devices and how they are
/status pc1 – state, probability, temperature, why
/latest pc1 – the latest readings (also /pc1, /raspberry, /<any device>)
/chart pc1 [metric] [period] – a chart, e.g. /chart pc1 temp 6h, /chart raspberry load 1d
   metrics: temp, load, power, clock, gpu, or a reading field; period 5m to 7d (default 1h)
/alerts [device] – the last alerts and your answers
/mute pc1 2h – hold back pc1's alerts (kept, not sent); /unmute pc1
/subscribe pc1, /unsubscribe pc1 – pc1's alerts in this chat or not ("all" for every device)

An alert has buttons: ✅ right, ❌ wrong (your answer teaches the model; press again to change it) and 🔕 1 h. Replying Y or N to an alert works too.`;
