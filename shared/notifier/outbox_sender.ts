import type { Api } from "grammy/web";
import type { InlineKeyboardMarkup } from "grammy/types";
import type { Clock } from "../clock.ts";
import type { Logger } from "../log.ts";
import type { Alert } from "../store/records.ts";
import type { Store } from "../store/store.ts";
import { isAlertId } from "../alerts/alert_id.ts";
import { alertKeyboard, parseAlertButton } from "../telegram/alert_buttons.ts";
import { alertText, eventTimeOf } from "./alert_text.ts";
import type { Notifier } from "./notifier.ts";
import { telegramFailureOf } from "./_telegram_failure.ts";

/** The one Bot API method the sender calls (grammY's `Api` has it). */
export type TelegramMessages = Pick<Api, "sendMessage">;

export interface OutboxOptions {
  /** Failed attempts after which an alert is marked `failed`. Default 10. */
  maxAttempts: number;
  /** An alert older than this when it goes out says how late it is, ms. Default 5 min. */
  maxAgeMs: number;
  /** A `sendMessage` without an answer after this is given up and retried, ms. Default 10 s. */
  requestTimeoutMs: number;
  /** How often the outbox is read again for alerts left pending, ms. Default 30 s. */
  checkIntervalMs: number;
  /** The wait after a first failed attempt, doubling with each one, ms. Default 1 s. */
  retryBaseMs: number;
  /** The longest wait between attempts, ms. Default 5 min. */
  retryMaxMs: number;
  /** Alerts read from the outbox at a time. Default 100. */
  pageSize: number;
  /**
   * How long a device's subscribers are remembered, ms: a new subscription
   * reaches alerts raised this much later at most. Default 10 s.
   */
  subscribersCacheMs: number;
}

export const OUTBOX_DEFAULTS: OutboxOptions = {
  maxAttempts: 10,
  maxAgeMs: 5 * 60_000,
  requestTimeoutMs: 10_000,
  checkIntervalMs: 30_000,
  retryBaseMs: 1_000,
  retryMaxMs: 5 * 60_000,
  pageSize: 100,
  subscribersCacheMs: 10_000,
};

export interface OutboxSenderDeps {
  store: Store;
  /** grammY's `Api` (`new Api(token, { apiRoot })`), or anything with its `sendMessage`. */
  api: TelegramMessages;
  clock: Clock;
  log: Logger;
  /** Chats that get every device's alerts (`TELEGRAM_ALLOWED_CHAT_IDS`), besides the store's subscribers. */
  allowedChatIds?: readonly number[];
  options?: Partial<OutboxOptions>;
  /** For the jitter of retry waits; `Math.random` by default. */
  random?: () => number;
}

/** Counters since start, for logs and /metrics. */
export interface OutboxStats {
  /** Alerts that reached every chat they were for. */
  sent: number;
  /** Messages Telegram took (one per alert and chat). */
  messages: number;
  /** Alerts given up on: attempts spent, every chat refused, or no chat to send to. */
  failed: number;
  /** Pending alerts not sent because their device was muted when their turn came. */
  muted: number;
  /** Failed attempts that will be tried again. */
  retries: number;
  /** 429 answers (every sending paused for `retry_after`). */
  rate_limited: number;
  /** Chats that refused a message (blocked the bot, left the group, do not exist). */
  refused: number;
  /** Alerts sent later than the max age, with a line saying so. */
  late: number;
  /** Reading or writing the store failed (the alert is tried again). */
  store_errors: number;
  /** Pending alerts the sender knows of: the outbox's size, up to one page when it is larger. */
  pending: number;
}

/**
 * Delivers alerts to Telegram, as a Notifier: `notify()` only wakes it, so
 * the pipeline never waits for Telegram. See {@linkcode createOutboxSender}.
 */
export interface OutboxSender extends Notifier {
  /** Starts sending: the outbox is read at once (alerts a crash left pending), then every `checkIntervalMs`. */
  start(): void;
  /** Stops; a message in flight is abandoned (its alert stays pending for the next start). */
  stop(): Promise<void>;
  /** Runs one pass now, reading the outbox, and resolves when it is done. */
  drain(): Promise<void>;
  stats(): OutboxStats;
}

/**
 * The outbox sender: alerts are stored `pending` before anyone is told (the
 * pipeline saves them first), and this sends them.
 *
 * Each pending alert goes to every chat subscribed to its device (the
 * store's subscriptions, device or `*`) and to the `allowedChatIds`, as
 * plain text with the alert buttons (`alertKeyboard`: verdict and mute on a
 * stress alert, mute alone on the others, whose verdict would not be a
 * label). Each chat's message id is recorded as soon as Telegram answers,
 * so a chat is never sent the same alert twice, even after a crash between
 * two chats; the alert is `sent` once every chat has it. An alert just
 * raised goes out as `notify()` hands it over, with no store read before
 * the message (the subscribers are remembered for `subscribersCacheMs`);
 * any other (from the outbox, a retry) is read again first, so an already
 * delivered alert is not sent twice, and one whose device was muted while
 * it waited is marked `muted` instead.
 *
 * Failures: a 429 pauses every sending for its `retry_after` (not counted
 * as an attempt); a 5xx, a network error or no answer within
 * `requestTimeoutMs` counts an attempt, keeps the alert `pending` and tries
 * it again after a backoff (`retryBaseMs` doubling up to `retryMaxMs`, with
 * jitter), so after a restart too; after `maxAttempts` the alert is
 * `failed`. A chat that refuses (400, 403) is skipped for that alert; an
 * alert with no chat at all to go to is `failed` at once, saying why.
 *
 * Retries are its own rather than `@grammyjs/auto-retry`'s (2.0.2): that
 * transformer sleeps inside the call on the real clock, so a 429's wait or a
 * long backoff would hold the one send in flight and everything behind it,
 * could not be driven by a fake clock in tests, and knows nothing of the
 * outbox (attempts kept in the store, `failed` after N).
 */
export function createOutboxSender(deps: OutboxSenderDeps): OutboxSender {
  const options = { ...OUTBOX_DEFAULTS, ...deps.options };
  checkOptions(options);
  const { store, api, clock, log } = deps;
  const random = deps.random ?? Math.random;
  const allowed = [...new Set(deps.allowedChatIds ?? [])];
  for (const chat of allowed) {
    if (!Number.isSafeInteger(chat) || chat === 0) {
      throw new RangeError(
        `Cannot create the outbox sender: chat ids must be whole numbers other than 0, got ${chat}`,
      );
    }
  }
  const stats: Omit<OutboxStats, "pending"> = {
    sent: 0,
    messages: 0,
    failed: 0,
    muted: 0,
    retries: 0,
    rate_limited: 0,
    refused: 0,
    late: 0,
    store_errors: 0,
  };
  /**
   * Alerts handed over by notify(), not tried yet; `fresh` when just raised
   * (nothing sent, no attempt, not seen before), so sent as handed over.
   */
  const queued = new Map<string, { alert: Alert; fresh: boolean }>();
  /** Ids this sender has delivered or given up on lately: a second notify() is ignored. */
  const finished = new Set<string>();
  const subscribers = new Map<string, { chats: number[]; at: number }>();
  /** Alerts to try again at a time. */
  const waiting = new Map<string, { alert: Alert; at: number }>();
  /** Ids of the pending alerts known: the outbox size. */
  const known = new Set<string>();
  let pausedUntil = 0;
  let nextReadAt = 0;
  let passRequested = true;
  let passWaiters: (() => void)[] = [];
  let sleeper: AbortController | null = null;
  let inFlight: AbortController | null = null;
  let loop: Promise<void> | null = null;
  let stopped = false;

  function wake(): void {
    passRequested = true;
    sleeper?.abort();
  }

  async function run(): Promise<void> {
    while (!stopped) {
      if (!passRequested) await sleepUntil(nextWakeAt());
      if (stopped) break;
      passRequested = false;
      const waiters = passWaiters;
      passWaiters = [];
      try {
        await pass();
      } catch (error) {
        stats.store_errors++;
        log.error("cannot read the outbox; trying again later", {
          error: (error as Error).message,
        });
      }
      for (const resolve of waiters) resolve();
    }
    for (const resolve of passWaiters.splice(0)) resolve();
  }

  function nextWakeAt(): number {
    let at = nextReadAt;
    for (const { at: retryAt } of waiting.values()) at = Math.min(at, retryAt);
    if (queued.size > 0) at = clock.now();
    return Math.max(at, pausedUntil);
  }

  async function sleepUntil(at: number): Promise<void> {
    const ms = at - clock.now();
    if (ms <= 0 || passRequested) return;
    const controller = new AbortController();
    sleeper = controller;
    try {
      await clock.sleep(ms, controller.signal);
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    } finally {
      sleeper = null;
    }
  }

  /** One pass: the alerts handed over, those due for a retry and, when it is time, the outbox. */
  async function pass(): Promise<void> {
    const now = clock.now();
    if (now < pausedUntil) return;
    const candidates = new Map<string, Alert>();
    if (now >= nextReadAt) {
      nextReadAt = now + options.checkIntervalMs;
      // Read before the hand-overs are taken, so a failed read loses none of them.
      const listed = await store.listPendingAlerts({ limit: options.pageSize });
      const ids = new Set(listed.map((a) => a.id));
      if (listed.length < options.pageSize) {
        // The whole outbox: forget alerts that left it some other way.
        for (const id of known) {
          if (!ids.has(id) && !queued.has(id) && !waiting.has(id)) known.delete(id);
        }
      }
      for (const alert of listed) {
        known.add(alert.id);
        const retry = waiting.get(alert.id);
        if (!retry || retry.at <= now) candidates.set(alert.id, alert);
      }
    }
    const fresh = new Set<string>();
    for (const [id, entry] of queued) {
      // A fresh alert listed too is sent as handed over; a stale hand-over yields to the listing.
      if (entry.fresh) fresh.add(id);
      if (entry.fresh || !candidates.has(id)) candidates.set(id, entry.alert);
    }
    queued.clear();
    for (const [id, { alert, at }] of waiting) {
      if (at <= now) candidates.set(id, alert);
    }
    const ordered = [...candidates.values()].sort((a, b) =>
      Date.parse(a.raised_at) - Date.parse(b.raised_at)
    );
    for (const [i, alert] of ordered.entries()) {
      if (stopped || clock.now() < pausedUntil) {
        // Not tried: kept for the next pass (the outbox has them anyway).
        for (const rest of ordered.slice(i)) {
          if (!waiting.has(rest.id)) {
            queued.set(rest.id, { alert: rest, fresh: fresh.has(rest.id) });
          }
        }
        return;
      }
      waiting.delete(alert.id);
      try {
        await deliver(alert.id, fresh.has(alert.id) ? alert : null);
      } catch (error) {
        stats.store_errors++;
        waiting.set(alert.id, { alert, at: clock.now() + options.retryBaseMs });
        log.error("alert delivery not recorded; trying it again", {
          alert: alert.id,
          error: (error as Error).message,
        });
      }
    }
  }

  /**
   * Sends one alert to the chats that do not have it yet, and records what
   * happened. An alert just raised (`fresh`) is sent as handed over: the
   * pipeline stored it a moment ago, and decided then whether its device
   * was muted. Any other is read again first, and its device's mute checked.
   */
  async function deliver(id: string, fresh: Alert | null): Promise<void> {
    let alert = fresh ?? await store.getAlert(id);
    if (!alert || alert.state !== "pending") {
      forget(id);
      return;
    }
    const now = clock.now();
    const device = fresh ? null : await store.getDevice(alert.device);
    if (device?.muted_until && Date.parse(device.muted_until) > now) {
      await store.updateAlertDelivery(id, { state: "muted" });
      stats.muted++;
      forget(id);
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
        messageId = (await send(chat, text, markup)).message_id;
      } catch (error) {
        if (stopped) return; // abandoned by stop(): still pending, not an attempt
        const failure = telegramFailureOf(error);
        if (failure.kind === "rate_limited") {
          stats.rate_limited++;
          pausedUntil = clock.now() + failure.retryAfterMs;
          waiting.set(id, { alert, at: pausedUntil });
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
    forget(alert.id);
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

  /** The alert left the outbox: not counted as pending, and a late notify() of it is ignored. */
  function forget(id: string): void {
    known.delete(id);
    finished.add(id);
    if (finished.size > FINISHED_KEPT) finished.delete(finished.values().next().value!);
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

  /** One `sendMessage`, abandoned after `requestTimeoutMs` (on the clock) or by stop(). */
  async function send(chat: number, text: string, markup: InlineKeyboardMarkup | undefined) {
    const request = new AbortController();
    const timer = new AbortController();
    inFlight = request;
    clock.sleep(options.requestTimeoutMs, timer.signal).then(
      () => request.abort(new Error("timeout")),
      () => {},
    );
    try {
      return await api.sendMessage(
        chat,
        text,
        {
          ...(markup ? { reply_markup: markup } : {}),
          link_preview_options: { is_disabled: true },
        },
        // grammY types its signal with a Node shim's AbortSignal; the web one is what it uses.
        request.signal as unknown as Parameters<Api["sendMessage"]>[3],
      );
    } catch (error) {
      if (request.signal.aborted && !stopped) {
        throw new Error(`no answer from Telegram within ${options.requestTimeoutMs / 1000} s`);
      }
      throw error;
    } finally {
      timer.abort();
      inFlight = null;
    }
  }

  return {
    notify(alert) {
      if (alert.state !== "pending" || stopped || finished.has(alert.id)) {
        return Promise.resolve();
      }
      const fresh = !known.has(alert.id) && alert.deliveries.length === 0 && alert.attempts === 0;
      known.add(alert.id);
      if (!waiting.has(alert.id)) queued.set(alert.id, { alert, fresh });
      wake();
      return Promise.resolve();
    },
    start() {
      if (loop) throw new Error("Cannot start: the outbox sender is already running");
      if (stopped) throw new Error("Cannot start: the outbox sender was stopped");
      log.info("sending alerts to Telegram", {
        allowed_chats: allowed.length,
        max_attempts: options.maxAttempts,
      });
      loop = run();
    },
    async stop() {
      stopped = true;
      sleeper?.abort();
      inFlight?.abort(new Error("stopping"));
      await loop;
    },
    drain() {
      if (!loop || stopped) {
        return Promise.reject(new Error("Cannot drain: the outbox sender is not running"));
      }
      nextReadAt = 0;
      const done = new Promise<void>((resolve) => passWaiters.push(resolve));
      wake();
      return done;
    },
    stats: () => ({ ...stats, pending: known.size }),
  };
}

/**
 * The buttons of an alert's message: verdict and mute on a stress alert (the
 * verdict labels the model's prediction), mute alone on the others
 * (under-voltage, offline, online, recovered: no prediction to judge). An
 * alert stored before ids became button keys (`isAlertId`) goes without
 * buttons: its id does not fit in a button.
 */
export function keyboardFor(alert: Alert): InlineKeyboardMarkup | undefined {
  if (!isAlertId(alert.id)) return undefined;
  const keyboard = alertKeyboard(alert.id);
  if (alert.kind === "stress") return keyboard;
  return {
    inline_keyboard: keyboard.inline_keyboard.map((row) =>
      row.filter((button) => {
        const parsed = "callback_data" in button ? parseAlertButton(button.callback_data) : null;
        return parsed?.ok === true && parsed.action === "mute_1h";
      })
    ),
  };
}

function checkOptions(options: OutboxOptions): void {
  const positive: (keyof OutboxOptions)[] = [
    "maxAttempts",
    "requestTimeoutMs",
    "checkIntervalMs",
    "retryBaseMs",
    "retryMaxMs",
    "pageSize",
    "subscribersCacheMs",
  ];
  for (const name of positive) {
    if (!(options[name] >= 1)) {
      throw new RangeError(
        `Cannot create the outbox sender: '${name}' must be at least 1, got ${options[name]}`,
      );
    }
  }
  if (!(options.maxAgeMs >= 0)) {
    throw new RangeError(
      `Cannot create the outbox sender: 'maxAgeMs' must be 0 or more, got ${options.maxAgeMs}`,
    );
  }
  if (!Number.isInteger(options.pageSize) || options.pageSize > 1000) {
    throw new RangeError(
      `Cannot create the outbox sender: 'pageSize' must be a whole number up to 1000, got ${options.pageSize}`,
    );
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Ids of finished alerts remembered, so a late second notify() of one is ignored. */
const FINISHED_KEPT = 10_000;
/** Devices whose subscribers are remembered at most. */
const SUBSCRIBERS_KEPT = 10_000;
