import type { DeadLetter, Feedback } from "../records.ts";
import type { Store } from "../store.ts";
import { DEAD_LETTERS, FEEDBACK, keys, timeId } from "./_keys.ts";
import { queryByTime } from "./_query_by_time.ts";
import { docs, indexList, type StoreTable } from "./_table.ts";

export type FeedbackMethods = Pick<
  Store,
  "saveDeadLetter" | "listDeadLetters" | "saveFeedback" | "listFeedback"
>;

/** Owner feedback (one verdict per alert) and dead letters (expiring like readings) on DynamoDB. */
export function createFeedbackMethods(table: StoreTable): FeedbackMethods {
  const { deps, ttlDays, put } = table;
  const expiresAt = (ms: number) => ({ N: String(Math.floor(ms / 1000) + ttlDays * 86_400) });

  return {
    async saveDeadLetter(letter) {
      const time = Date.parse(letter.received_at);
      await put({
        ...keys.deadLetter(time, letter.id),
        doc: { S: JSON.stringify(letter) },
        expires_at: expiresAt(time),
      });
    },
    listDeadLetters(query) {
      return docs<DeadLetter>(queryByTime(deps, {
        partitionAttr: "pk",
        partition: DEAD_LETTERS,
        sortAttr: "sk",
        keyAt: ({ time, id }) => keys.deadLetter(time, id),
      }, query));
    },
    async saveFeedback(feedback) {
      const at = timeId(Date.parse(feedback.timestamp), feedback.alert_id);
      await put({
        ...keys.feedback(feedback.alert_id),
        doc: { S: JSON.stringify(feedback) },
        g1pk: { S: FEEDBACK },
        g1sk: { S: at },
        g2pk: { S: keys.feedbackOf(feedback.device) },
        g2sk: { S: at },
      });
    },
    listFeedback(query) {
      const list = query.device
        ? indexList("by_device", keys.feedbackOf(query.device), keys.feedback)
        : indexList("by_list", FEEDBACK, keys.feedback);
      return docs<Feedback>(queryByTime(deps, list, query));
    },
  };
}
