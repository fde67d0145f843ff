/** How the outbox sender delivers: attempts, waits, timeouts and page sizes. */
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

/** Checks the options up front; throws a RangeError naming the bad one. */
export function checkOutboxOptions(options: OutboxOptions): void {
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
