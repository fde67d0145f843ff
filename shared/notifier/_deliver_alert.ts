import type { Clock } from "../clock.ts";
import type { Logger } from "../log.ts";
import type { Alert } from "../store/records.ts";
import type { Store } from "../store/store.ts";
import { alertText, eventTimeOf } from "./alert_text.ts";
import { telegramFailureOf } from "./_telegram_failure.ts";
import { keyboardFor } from "./_keyboard_for.ts";
import type { OutboxOptions } from "./outbox_options.ts";
import { forget, type OutboxState } from "./_outbox_state.ts";
import type { MessageSender } from "./_send_message.ts";

export interface AlertDeliveryDeps {
  store: Store;
  clock: Clock;
  log: Logger;
  options: OutboxOptions;
  state: OutboxState;
  messages: MessageSender;
  /** Chats that get every device's alerts. */
  allowed: readonly number[];
  /** For the jitter of retry waits. */
  random: () => number;
}

/**
 * Delivers one alert: to the chats that do not have it yet, recording each
 * message, the retry or the end in the store and the sender's state (see
 * {@linkcode createOutboxSender}). Returns `deliver(id, fresh)`.
 */
export function createAlertDelivery(deps: AlertDeliveryDeps) {
  const { store, clock, log, options, messages, allowed, random } = deps;
  const outbox = deps.state;
  const { stats, waiting } = outbox;
  const subscribers = new Map<string, { chats: number[]; at: number }>();

  /**
   * Sends one alert to the chats that do not have it yet, and records what
   * happened. An alert just raised (`fresh`) is sent as handed over: the
   * pipeline stored it a moment ago, and decided then whether its device
   * was muted. Any other is read again first, and its device's mute checked.
   */
  async function deliver(id: string, fresh: Alert | null): Promise<void> {
    let alert = fresh ?? await store.getAlert(id);
    if (!alert || alert.state !== "pending") {
      forget(outbox, id);
      return;
    }
    const now = clock.now();
    const device = fresh ? null : await store.getDevice(alert.device);
    if (device?.muted_until && Date.parse(device.muted_until) > now) {
      await store.updateAlertDelivery(id, { state: "muted" });
      stats.muted++;
      forget(outbox, id);
      log.info("alert not sent: its device is muted", {
        alert: id,
        device: alert.device,
        muted_until: device.muted_until,
      });
      return;
    }
    const done = new Set(alert.deliveries.map((d) => d.chat_id));
    const chats = (await chatsOf(alert.device)).filter((chat) => !done.has(chat));
    if (chats.length === 0) {
      await finish(
        alert,
        done.size > 0 ? "sent" : "failed",
        done.size > 0 ? null : (
          `no chat to send it to: none is subscribed to ${alert.device} ` +
          "(set TELEGRAM_ALLOWED_CHAT_IDS, or /subscribe in the bot)"
        ),
      );
      return;
    }
    const text = alertText(alert, { now, maxAgeMs: options.maxAgeMs });
    const markup = keyboardFor(alert);
    const refused: string[] = [];
    for (const [i, chat] of chats.entries()) {
      let messageId: number;
      try {
        messageId = (await messages.send(chat, text, markup)).message_id;
      } catch (error) {
        if (outbox.stopped) return; // abandoned by stop(): still pending, not an attempt
        const failure = telegramFailureOf(error);
        if (failure.kind === "rate_limited") {
          stats.rate_limited++;
          outbox.pausedUntil = clock.now() + failure.retryAfterMs;
          waiting.set(id, { alert, at: outbox.pausedUntil });
          log.warn("Telegram asks to slow down; sending paused", {
            retry_after_s: failure.retryAfterMs / 1000,
            alert: id,
          });
          return;
        }
        if (failure.kind === "refused") {
          stats.refused++;
          refused.push(`chat ${chat}: ${failure.message}`);
          log.warn("a chat refused the alert", { alert: id, chat, error: failure.message });
          continue;
        }
        await retryLater(alert, failure.message);
        return;
      }
      stats.messages++;
      const last = i === chats.length - 1 && refused.length === 0;
      alert = await store.updateAlertDelivery(id, {
        delivery: { chat_id: chat, message_id: messageId, sent_at: iso(clock.now()) },
        ...(last ? { state: "sent" as const, last_error: null } : {}),
      }) ?? alert;
      if (last) {
        counted(alert, "sent", now);
        return;
      }
    }
    const reached = alert.deliveries.length > 0;
    await finish(alert, reached ? "sent" : "failed", refused.join("; "), now);
  }

  async function finish(
    alert: Alert,
    state: "sent" | "failed",
    error: string | null,
    now?: number,
  ): Promise<void> {
    const updated = await store.updateAlertDelivery(alert.id, { state, last_error: error }) ??
      alert;
    counted(updated, state, now);
    if (state === "failed") {
      log.error("alert not delivered", { alert: alert.id, device: alert.device, error });
    }
  }

  function counted(alert: Alert, state: "sent" | "failed", sentAt?: number): void {
    forget(outbox, alert.id);
    if (state === "failed") {
      stats.failed++;
      return;
    }
    stats.sent++;
    const lateMs = sentAt === undefined ? 0 : sentAt - eventTimeOf(alert);
    if (lateMs > options.maxAgeMs) stats.late++;
    log.info("alert sent", {
      alert: alert.id,
      device: alert.device,
      kind: alert.kind,
      chats: alert.deliveries.length,
      late_s: lateMs > options.maxAgeMs ? Math.round(lateMs / 1000) : undefined,
    });
  }

  /** The allowed chats and the device's subscribers (remembered for `subscribersCacheMs`). */
  async function chatsOf(device: string): Promise<number[]> {
    const now = clock.now();
    let cached = subscribers.get(device);
    if (!cached || now - cached.at >= options.subscribersCacheMs) {
      cached = { chats: await store.listSubscribers(device), at: now };
      subscribers.set(device, cached);
      if (subscribers.size > SUBSCRIBERS_KEPT) subscribers.delete(subscribers.keys().next().value!);
    }
    return [...new Set([...allowed, ...cached.chats])];
  }

  async function retryLater(alert: Alert, error: string): Promise<void> {
    const attempts = alert.attempts + 1;
    if (attempts >= options.maxAttempts) {
      const updated = await store.updateAlertDelivery(alert.id, {
        state: "failed",
        attempts,
        last_error: error,
      }) ?? alert;
      counted(updated, "failed");
      log.error("alert not delivered: attempts spent", {
        alert: alert.id,
        device: alert.device,
        attempts,
        error,
      });
      return;
    }
    const updated = await store.updateAlertDelivery(alert.id, { attempts, last_error: error }) ??
      alert;
    stats.retries++;
    const delayMs = backoff(attempts);
    waiting.set(alert.id, { alert: updated, at: clock.now() + delayMs });
    log.warn("alert not delivered yet; trying again", {
      alert: alert.id,
      attempts,
      of: options.maxAttempts,
      retry_in_s: Math.round(delayMs / 100) / 10,
      error,
    });
  }

  /** `retryBaseMs` doubling per attempt up to `retryMaxMs`; half of it fixed, half random. */
  function backoff(attempts: number): number {
    const full = Math.min(options.retryMaxMs, options.retryBaseMs * 2 ** (attempts - 1));
    return Math.round(full / 2 + random() * (full / 2));
  }

  return deliver;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Devices whose subscribers are remembered at most. */
const SUBSCRIBERS_KEPT = 10_000;
