import type { Reading } from "../reading/mod.ts";
import type {
  Alert,
  DeadLetter,
  DeviceStatus,
  DeviceSummary,
  Feedback,
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

/** One page of a time-ordered list. */
export interface Page<T> {
  items: T[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  next_cursor: string | null;
}

export interface TimeRangeQuery {
  /** Page size, 1 to 1000. */
  limit: number;
  /** Only items strictly before this time (ms since epoch). */
  before?: number;
  /** Only items strictly after this time (ms since epoch). */
  after?: number;
  /** From a previous page's `next_cursor`. */
  cursor?: string;
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

/**
 * The Store port: readings, predictions, device summaries, alerts, dead
 * letters and owner feedback on alerts. Saving is idempotent on the reading's uuid, so a reading delivered
 * twice is stored once. No method scans a whole table.
 */
export interface Store {
  saveScored(items: readonly ScoredReading[]): Promise<SaveResult>;
  listDevices(): Promise<DeviceSummary[]>;
  getDevice(device: string): Promise<DeviceSummary | null>;
  listReadings(device: string, query: TimeRangeQuery): Promise<Page<Reading>>;
  getStatus(device: string): Promise<DeviceStatus | null>;
  saveAlert(alert: Alert): Promise<void>;
  listAlerts(query: AlertQuery): Promise<Page<Alert>>;
  saveDeadLetter(letter: DeadLetter): Promise<void>;
  listDeadLetters(query: TimeRangeQuery): Promise<Page<DeadLetter>>;
  /**
   * Keeps the owner's verdict on an alert, one per alert: a second answer
   * (the owner changed their mind) replaces the first.
   */
  saveFeedback(feedback: Feedback): Promise<void>;
  listFeedback(query: FeedbackQuery): Promise<Page<Feedback>>;
  close(): Promise<void>;
}

/** Thrown for a cursor that no page handed out. */
export class InvalidCursorError extends RangeError {
  constructor(cursor: string) {
    super(`Invalid cursor '${cursor.slice(0, 40)}': pass the next_cursor of a previous page`);
    this.name = "InvalidCursorError";
  }
}

/** The limits every adapter checks the same way. */
export function checkTimeRangeQuery(query: TimeRangeQuery): void {
  if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > 1000) {
    throw new RangeError(
      `Cannot list: 'limit' must be an integer from 1 to 1000, got ${query.limit}`,
    );
  }
  for (const bound of ["before", "after"] as const) {
    const value = query[bound];
    if (value !== undefined && !Number.isFinite(value)) {
      throw new RangeError(`Cannot list: '${bound}' must be a time, got ${value}`);
    }
  }
}
