import type { Reading } from "../../shared/reading/mod.ts";
import type { Store } from "../../shared/store/store.ts";
import type { FeedbackLabel } from "../dataset.ts";

/**
 * Reads every device's readings (oldest first, a page of 1000 at a time)
 * and every owner verdict from a store, whatever its adapter.
 */
export async function readStore(
  store: Store,
  onProgress: (device: string, readings: number) => void = () => {},
): Promise<{ readings: Reading[]; feedback: FeedbackLabel[] }> {
  const readings: Reading[] = [];
  for await (const device of deviceNames(store)) {
    let cursor: string | undefined;
    let count = 0;
    do {
      const page = await store.listReadings(device, { limit: 1000, order: "asc", cursor });
      readings.push(...page.items);
      count += page.items.length;
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    onProgress(device, count);
  }
  const feedback: FeedbackLabel[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listFeedback({ limit: 1000, order: "asc", cursor });
    for (const f of page.items) {
      feedback.push({
        device: f.device,
        time: Date.parse(f.timestamp),
        right: f.verdict === "right",
      });
    }
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return { readings, feedback };
}

/** Every device's name, a page of the device list at a time. */
async function* deviceNames(store: Store): AsyncGenerator<string> {
  let cursor: string | undefined;
  do {
    const page = await store.listDevices({ limit: 1000, cursor });
    for (const summary of page.items) yield summary.device;
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
}
