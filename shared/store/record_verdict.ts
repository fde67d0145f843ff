import type { Alert, Feedback } from "./records.ts";
import type { Store } from "./store.ts";

export type Verdict = Feedback["verdict"];

export interface RecordedVerdict {
  alert: Alert;
  feedback: Feedback;
  /** The verdict this one replaced, null for the first answer. */
  previous: Verdict | null;
}

/**
 * Keeps the owner's verdict on an alert as the training label the models
 * read (`Store.listFeedback`). One code path for the API
 * (`POST /v1/alerts/{id}/verdict`), the bot's buttons and its Y / N replies, so
 * all three label the same way: a second verdict replaces the first, never
 * a second label. Null when there is no such alert.
 */
export async function recordVerdict(
  store: Pick<Store, "getAlert" | "saveFeedback" | "listFeedback">,
  input: { alertId: string; verdict: Verdict; at: number },
): Promise<RecordedVerdict | null> {
  if (input.verdict !== "right" && input.verdict !== "wrong") {
    throw new RangeError(
      `Cannot record a verdict: 'verdict' must be right or wrong, got '${input.verdict}'`,
    );
  }
  if (!Number.isFinite(input.at)) {
    throw new RangeError(`Cannot record a verdict: 'at' must be a time, got ${input.at}`);
  }
  const alert = await store.getAlert(input.alertId);
  if (!alert) return null;
  const time = Date.parse(alert.timestamp);
  // The feedback list is by the time of the alert's reading: one look at that instant.
  const earlier = await store.listFeedback({
    device: alert.device,
    after: time - 1,
    before: time + 1,
    limit: 1000,
  });
  const previous = earlier.items.find((f) => f.alert_id === alert.id)?.verdict ?? null;
  const feedback: Feedback = {
    alert_id: alert.id,
    device: alert.device,
    timestamp: alert.timestamp,
    verdict: input.verdict,
    given_at: new Date(input.at).toISOString(),
  };
  await store.saveFeedback(feedback);
  return { alert, feedback, previous };
}
