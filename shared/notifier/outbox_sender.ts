import type { Api } from "grammy/web";
import type { Clock } from "../clock.ts";
import type { Logger } from "../log.ts";
import type { Alert } from "../store/records.ts";
import type { Store } from "../store/store.ts";
import type { Notifier } from "./notifier.ts";
import { checkOutboxOptions, OUTBOX_DEFAULTS, type OutboxOptions } from "./outbox_options.ts";
import { createOutboxState } from "./_outbox_state.ts";
import { createMessageSender } from "./_send_message.ts";
import { createAlertDelivery } from "./_deliver_alert.ts";

export { OUTBOX_DEFAULTS, type OutboxOptions } from "./outbox_options.ts";

/** The one Bot API method the sender calls (grammY's `Api` has it). */
export type TelegramMessages = Pick<Api, "sendMessage">;

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
  checkOutboxOptions(options);
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
  const state = createOutboxState();
  const { stats, waiting, known } = state;
  /**
   * Alerts handed over by notify(), not tried yet; `fresh` when just raised
   * (nothing sent, no attempt, not seen before), so sent as handed over.
   */
  const queued = new Map<string, { alert: Alert; fresh: boolean }>();
  let nextReadAt = 0;
  let passRequested = true;
  let passWaiters: (() => void)[] = [];
  let sleeper: AbortController | null = null;
  let loop: Promise<void> | null = null;
  const messages = createMessageSender({
    api,
    clock,
    requestTimeoutMs: options.requestTimeoutMs,
    stopped: () => state.stopped,
  });
  const deliver = createAlertDelivery({
    store,
    clock,
    log,
    options,
    state,
    messages,
    allowed,
    random,
  });

  function wake(): void {
    passRequested = true;
    sleeper?.abort();
  }

  async function run(): Promise<void> {
    while (!state.stopped) {
      if (!passRequested) await sleepUntil(nextWakeAt());
      if (state.stopped) break;
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
    return Math.max(at, state.pausedUntil);
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
    if (now < state.pausedUntil) return;
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
      if (state.stopped || clock.now() < state.pausedUntil) {
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

  return {
    notify(alert) {
      if (alert.state !== "pending" || state.stopped || state.finished.has(alert.id)) {
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
      if (state.stopped) throw new Error("Cannot start: the outbox sender was stopped");
      log.info("sending alerts to Telegram", {
        allowed_chats: allowed.length,
        max_attempts: options.maxAttempts,
      });
      loop = run();
    },
    async stop() {
      state.stopped = true;
      sleeper?.abort();
      messages.abandon(new Error("stopping"));
      await loop;
    },
    drain() {
      if (!loop || state.stopped) {
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
