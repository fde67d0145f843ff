import { listTimeOrdered } from "./_kv_time_list.ts";
import type { DeadLetter, Feedback } from "./records.ts";
import type { FeedbackQuery, Page, Store, TimeRangeQuery } from "./store.ts";
import { key } from "./_kv_keys.ts";
import { commitUnlessLocked, MAX_COMMIT_ATTEMPTS, retryWhileLocked } from "./_kv_commit.ts";

export type KvFeedbackMethods = Pick<
  Store,
  "saveDeadLetter" | "listDeadLetters" | "saveFeedback" | "listFeedback"
>;

/** Dead letters and the owner's feedback on alerts (one verdict per alert) on Deno KV. */
export function createKvFeedbackMethods(kv: Deno.Kv): KvFeedbackMethods {
  return {
    async saveDeadLetter(letter) {
      await retryWhileLocked(() =>
        kv.set(key.deadLetter(Date.parse(letter.received_at), letter.id), letter)
      );
    },
    listDeadLetters(query: TimeRangeQuery): Promise<Page<DeadLetter>> {
      return listTimeOrdered<DeadLetter>(kv, key.deadLetters(), query);
    },
    async saveFeedback(feedback) {
      const time = Date.parse(feedback.timestamp);
      const filed = key.alertFeedback(feedback.alert_id);
      for (let attempt = 1;; attempt++) {
        const previous = await kv.get<{ time: number; device: string }>(filed);
        const op = kv.atomic().check(previous)
          .set(key.feedback(time, feedback.alert_id), feedback)
          .set(key.deviceFeedback(feedback.device, time, feedback.alert_id), feedback)
          .set(filed, { time, device: feedback.device });
        const old = previous.value;
        if (old && (old.time !== time || old.device !== feedback.device)) {
          op.delete(key.feedback(old.time, feedback.alert_id))
            .delete(key.deviceFeedback(old.device, old.time, feedback.alert_id));
        }
        if ((await commitUnlessLocked(op)).ok) return;
        if (attempt === MAX_COMMIT_ATTEMPTS) {
          throw new Error(`Cannot save feedback on '${feedback.alert_id}': commits lost a race`);
        }
      }
    },
    listFeedback(query: FeedbackQuery): Promise<Page<Feedback>> {
      const prefix = query.device ? key.deviceFeedbacks(query.device) : key.feedbacks();
      return listTimeOrdered<Feedback>(kv, prefix, query);
    },
  };
}
