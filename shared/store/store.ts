import type { Reading } from "../reading/mod.ts";
import type {
  Alert,
  AlertDelivery,
  Chat,
  DeadLetter,
  DeliveryState,
  DeviceStatus,
  DeviceSummary,
  Feedback,
  NewAlert,
  Prediction,
} from "./records.ts";

/** A reading with the prediction made for it, stored together. */
export interface ScoredReading {
  reading: Reading;
  prediction: Prediction;
}

export interface SaveResult {
  /** Readings stored now. */
  stored: number;
  /** Readings whose uuid was already stored (redelivered or sent twice): skipped. */
  duplicates: number;
  /** The uuids stored now, so the caller acts (alerts) on new readings only. */
  storedUuids: string[];
}

/** One page of a list. */
export interface Page<T> {
  items: T[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  next_cursor: string | null;
}

/** A page of a list ordered by name. */
export interface PageQuery {
  /** Page size, 1 to 1000. */
  limit: number;
  /** From a previous page's `next_cursor`. */
  cursor?: string;
}

export interface TimeRangeQuery extends PageQuery {
  /** Only items strictly before this time (ms since epoch). */
  before?: number;
  /** Only items strictly after this time (ms since epoch). */
  after?: number;
  /** Newest first (the default) or oldest first. */
  order?: "desc" | "asc";
}

export interface AlertQuery extends TimeRangeQuery {
  device?: string;
}

/** Feedback is listed by the time of the alert's reading. */
export interface FeedbackQuery extends TimeRangeQuery {
  device?: string;
}

/** What a delivery attempt changes on an alert; fields left out stay as they are. */
export interface AlertDeliveryPatch {
  state?: DeliveryState;
  /** A message sent to one chat: added, or replacing the one recorded for that chat. */
  delivery?: AlertDelivery;
  /** Failed attempts so far. */
  attempts?: number;
  last_error?: string | null;
}

/**
 * The Store port: readings and their predictions, device summaries (with
 * mutes and decommissioning), alerts and their delivery to Telegram chats,
 * the alert policy's per-device state, dead letters, owner feedback, paired
 * chats and their subscriptions.
 *
 * Saving readings is idempotent on the reading's uuid, so a reading
 * delivered twice is stored and counted once. Every list is bounded by a
 * page size: no method scans a whole table. Methods that name one device or
 * alert return null when it is unknown.
 */
export interface Store {
  saveScored(items: readonly ScoredReading[]): Promise<SaveResult>;
  /**
   * Replaces the predictions of readings already stored: the consumer scores
   * a reading again once a reading that arrived late fills its window.
   * Readings not stored are skipped, never created, and no count changes;
   * the device summary's `latest` follows when the reading is the device's
   * newest. Returns how many predictions were replaced.
   */
  replacePredictions(items: readonly ScoredReading[]): Promise<number>;
  /** A device's readings in a time range, either order, a page at a time. */
  listReadings(device: string, query: TimeRangeQuery): Promise<Page<Reading>>;
  /** The same page with the prediction made for each reading (the old API's `prediction`). */
  listScored(device: string, query: TimeRangeQuery): Promise<Page<ScoredReading>>;
  /** The newest reading of a device and its prediction. */
  getStatus(device: string): Promise<DeviceStatus | null>;

  /** Devices by name, a page at a time. */
  listDevices(query: PageQuery): Promise<Page<DeviceSummary>>;
  getDevice(device: string): Promise<DeviceSummary | null>;
  /** Retires a device at time `at` (ISO): no more offline alerts; a newer reading undoes it. */
  decommissionDevice(device: string, at: string): Promise<DeviceSummary | null>;
  /** Holds back the device's alerts (stored as `muted`) until `until` (ISO). */
  setMute(device: string, until: string): Promise<DeviceSummary | null>;
  clearMute(device: string): Promise<DeviceSummary | null>;

  /**
   * Stores a new alert as `pending` (or `muted`). Idempotent on the id: an
   * alert already stored is kept as it is (its delivery state included) and
   * returned.
   */
  saveAlert(alert: NewAlert): Promise<Alert>;
  getAlert(id: string): Promise<Alert | null>;
  listAlerts(query: AlertQuery): Promise<Page<Alert>>;
  /**
   * The outbox: up to `limit` alerts still `pending`, oldest first, read from
   * an index of pending alerts (never a scan) and current as of the call.
   */
  listPendingAlerts(query: { limit: number }): Promise<Alert[]>;
  /** Records a delivery attempt; an alert that is no longer `pending` leaves the outbox. */
  updateAlertDelivery(id: string, patch: AlertDeliveryPatch): Promise<Alert | null>;

  /**
   * The alert policy's memory per device (opaque JSON, owned by the
   * consumer's policy), so a restarted consumer keeps cooldowns and episodes.
   * Devices without a saved state are absent from the map. The store hands
   * back what was saved without checking it: the policy validates it.
   */
  getAlertStates(devices: readonly string[]): Promise<Map<string, unknown>>;
  /** Saves states by device; each must be JSON of at most {@linkcode MAX_ALERT_STATE_BYTES}. */
  saveAlertStates(states: ReadonlyMap<string, unknown>): Promise<void>;

  saveDeadLetter(letter: DeadLetter): Promise<void>;
  listDeadLetters(query: TimeRangeQuery): Promise<Page<DeadLetter>>;
  /**
   * Keeps the owner's verdict on an alert, one per alert: a second answer
   * (the owner changed their mind) replaces the first.
   */
  saveFeedback(feedback: Feedback): Promise<void>;
  listFeedback(query: FeedbackQuery): Promise<Page<Feedback>>;

  /** A chat that paired with the bot; saving it again replaces it. */
  saveChat(chat: Chat): Promise<void>;
  getChat(chatId: number): Promise<Chat | null>;
  /** Sends the device's alerts to the chat; `ALL_DEVICES` ("*") means every device. */
  subscribe(chatId: number, device: string): Promise<void>;
  unsubscribe(chatId: number, device: string): Promise<void>;
  /** Chats subscribed to the device, or to every device, by id. */
  listSubscribers(device: string): Promise<number[]>;
  /** Device names the chat is subscribed to (`"*"` for every device), by name. */
  listSubscriptions(chatId: number): Promise<string[]>;

  /** Cheap check that the store can be reached; throws when it cannot. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The most bytes of JSON one device's alert-policy state may take. */
export const MAX_ALERT_STATE_BYTES = 4096;

/** Thrown for a cursor that no page handed out. */
export class InvalidCursorError extends RangeError {
  constructor(cursor: string) {
    super(`Invalid cursor '${cursor.slice(0, 40)}': pass the next_cursor of a previous page`);
    this.name = "InvalidCursorError";
  }
}

/** The page size every adapter checks the same way. */
export function checkPageQuery(query: PageQuery): void {
  if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > 1000) {
    throw new RangeError(
      `Cannot list: 'limit' must be an integer from 1 to 1000, got ${query.limit}`,
    );
  }
}

/** The limits every adapter checks the same way. */
export function checkTimeRangeQuery(query: TimeRangeQuery): void {
  checkPageQuery(query);
  for (const bound of ["before", "after"] as const) {
    const value = query[bound];
    if (value !== undefined && !Number.isFinite(value)) {
      throw new RangeError(`Cannot list: '${bound}' must be a time, got ${value}`);
    }
  }
}
