import { checkChatId, checkDevice, checkTime } from "./store_checks.ts";
import { type Alert, DELIVERY_STATES, type NewAlert } from "./records.ts";
import type { AlertDeliveryPatch } from "./store.ts";

/** The alert as first stored: `pending` (or `muted`), nothing sent yet. */
export function newAlertRecord(alert: NewAlert): Alert {
  if (typeof alert.id !== "string" || alert.id.length < 1 || alert.id.length > 200) {
    throw new RangeError(`Cannot save the alert: 'id' must be 1-200 characters`);
  }
  checkDevice("save the alert", alert.device);
  checkTime("save the alert", "raised_at", alert.raised_at);
  checkTime("save the alert", "timestamp", alert.timestamp);
  const state = alert.state ?? "pending";
  if (state !== "pending" && state !== "muted") {
    throw new RangeError(`Cannot save the alert: a new alert's 'state' is pending or muted`);
  }
  return { ...alert, state, deliveries: [], attempts: 0, last_error: null };
}

/** `alert` with a delivery attempt applied; the same chat's earlier message is replaced. */
export function applyDeliveryPatch(alert: Alert, patch: AlertDeliveryPatch): Alert {
  checkDeliveryPatch(patch);
  const next: Alert = { ...alert };
  if (patch.state !== undefined) next.state = patch.state;
  if (patch.attempts !== undefined) next.attempts = patch.attempts;
  if (patch.last_error !== undefined) next.last_error = shortened(patch.last_error);
  if (patch.delivery) {
    const delivery = patch.delivery;
    const at = alert.deliveries.findIndex((d) => d.chat_id === delivery.chat_id);
    next.deliveries = at === -1
      ? [...alert.deliveries, { ...delivery }]
      : alert.deliveries.map((d, i) => (i === at ? { ...delivery } : d));
  }
  return next;
}

/** An error message kept to its first 1,000 characters, so an alert stays a small record. */
function shortened(error: string | null): string | null {
  return error !== null && error.length > 1000 ? `${error.slice(0, 1000)}…` : error;
}

function checkDeliveryPatch(patch: AlertDeliveryPatch): void {
  const action = "update the alert's delivery";
  if (patch.state !== undefined && !DELIVERY_STATES.includes(patch.state)) {
    throw new RangeError(
      `Cannot ${action}: 'state' must be one of ${
        DELIVERY_STATES.join(", ")
      }, got '${patch.state}'`,
    );
  }
  if (
    patch.attempts !== undefined && (!Number.isSafeInteger(patch.attempts) || patch.attempts < 0)
  ) {
    throw new RangeError(
      `Cannot ${action}: 'attempts' must be a whole number from 0, got ${patch.attempts}`,
    );
  }
  if (patch.last_error !== undefined && patch.last_error !== null) {
    if (typeof patch.last_error !== "string") {
      throw new RangeError(`Cannot ${action}: 'last_error' must be a string or null`);
    }
  }
  if (patch.delivery) {
    checkChatId(action, patch.delivery.chat_id);
    if (!Number.isSafeInteger(patch.delivery.message_id)) {
      throw new RangeError(`Cannot ${action}: 'message_id' must be a whole number`);
    }
    checkTime(action, "sent_at", patch.delivery.sent_at);
  }
}

/** An alert stored before kinds and deliveries existed, read as a delivered stress alert. */
export function upgradeAlert(stored: Alert): Alert {
  return {
    ...stored,
    kind: stored.kind ?? "stress",
    state: stored.state ?? "sent",
    deliveries: stored.deliveries ?? [],
    attempts: stored.attempts ?? 0,
    last_error: stored.last_error ?? null,
  };
}
