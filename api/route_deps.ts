import type { Clock } from "../shared/clock.ts";
import type { Logger } from "../shared/log.ts";
import type { Store } from "../shared/store/store.ts";
import type { CursorSigner } from "./cursor_signer.ts";

/** What the resource sub-apps need; `createApi()` fills it in. */
export interface RouteDeps {
  store: Store;
  clock: Clock;
  /** Signs `next_cursor` and checks `cursor`. */
  cursors: CursorSigner;
  log: Logger;
  /** Silence after which a device counts as offline, s; default 3 of its sampling intervals. */
  offlineAfterS?: number;
}
