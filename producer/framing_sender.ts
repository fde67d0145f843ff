import type { Logger } from "../shared/log.ts";
import { frame } from "../shared/reading/mod.ts";
import type { MessageSender } from "./buffered_delivery.ts";

export interface FramingSenderOptions {
  sender: MessageSender;
  /** Finds the schema id (registers the schema); called until it succeeds once. */
  schemaId: () => Promise<number>;
  log: Logger;
}

/**
 * Frames each message for Confluent's Schema Registry (magic byte 0, the
 * 4-byte schema id, the JSON) before handing it to `sender`. The id is
 * looked up lazily and kept: while the registry cannot be reached, sends
 * fail like a broker outage, so readings wait in the disk buffer and are
 * framed when it answers again.
 */
export function createFramingSender(options: FramingSenderOptions): MessageSender & {
  readonly schemaId: number | null;
} {
  let id: number | null = null;
  let pending: Promise<number> | null = null;
  const resolveId = () => {
    if (id !== null) return Promise.resolve(id);
    pending ??= options.schemaId().then((found) => {
      id = found;
      options.log.debug("schema id found", { schema_id: found });
      return found;
    }).finally(() => (pending = null));
    return pending;
  };
  return {
    async send(messages) {
      const schemaId = await resolveId();
      await options.sender.send(messages.map((m) => ({ ...m, value: frame(schemaId, m.value) })));
    },
    get schemaId() {
      return id;
    },
  };
}
