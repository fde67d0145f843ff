import type { Alert } from "../store/records.ts";
import type { OutboxStats } from "./outbox_sender.ts";

/** What the sender's loop and its deliveries share. */
export interface OutboxState {
  /** Counters since start (the outbox's size is `known`'s). */
  stats: Omit<OutboxStats, "pending">;
  /** Alerts to try again at a time. */
  waiting: Map<string, { alert: Alert; at: number }>;
  /** Ids of the pending alerts known: the outbox size. */
  known: Set<string>;
  /** Ids this sender has delivered or given up on lately: a second notify() is ignored. */
  finished: Set<string>;
  /** No message goes out before this time (a 429's `retry_after`), ms. */
  pausedUntil: number;
  /** stop() was called. */
  stopped: boolean;
}

export function createOutboxState(): OutboxState {
  return {
    stats: {
      sent: 0,
      messages: 0,
      failed: 0,
      muted: 0,
      retries: 0,
      rate_limited: 0,
      refused: 0,
      late: 0,
      store_errors: 0,
    },
    waiting: new Map(),
    known: new Set(),
    finished: new Set(),
    pausedUntil: 0,
    stopped: false,
  };
}

/** The alert left the outbox: not counted as pending, and a late notify() of it is ignored. */
export function forget(state: OutboxState, id: string): void {
  state.known.delete(id);
  state.finished.add(id);
  if (state.finished.size > FINISHED_KEPT) {
    state.finished.delete(state.finished.values().next().value!);
  }
}

/** Ids of finished alerts remembered, so a late second notify() of one is ignored. */
const FINISHED_KEPT = 10_000;
