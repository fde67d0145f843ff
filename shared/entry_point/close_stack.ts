import type { Logger } from "../log.ts";

/** What a command opened, to close in reverse order: see `createCloseStack()`. */
export interface CloseStack {
  /** Remembers how to close something just opened (a store, a server, a lock). */
  defer(name: string, close: () => Promise<void> | void): void;
  /**
   * Closes everything deferred, last opened first, each once, going on past
   * a failure (each is logged); then throws naming what could not be closed.
   */
  close(): Promise<void>;
}

/**
 * For a command that opens several things: whatever fails, part-way through
 * starting or while stopping, everything opened so far is closed, in
 * reverse order.
 *
 * @example
 * ```ts
 * const opened = createCloseStack(log);
 * try {
 *   const store = await openKvStore(path);
 *   opened.defer("store", () => store.close());
 *   const server = serveHttp(config, app.fetch);
 *   opened.defer("server", () => server.shutdown());
 * } catch (error) {
 *   await opened.close().catch(() => {}); // each failure is logged; the start error matters
 *   throw error;
 * }
 * ```
 */
export function createCloseStack(log: Logger): CloseStack {
  const stack: { name: string; close: () => Promise<void> | void }[] = [];
  return {
    defer(name, close) {
      stack.push({ name, close });
    },
    async close() {
      const failed: string[] = [];
      while (stack.length > 0) {
        const { name, close } = stack.pop()!;
        try {
          await close();
        } catch (error) {
          failed.push(`${name} (${(error as Error).message})`);
          log.error(`cannot close the ${name}`, { error: (error as Error).message });
        }
      }
      if (failed.length > 0) throw new Error(`could not close ${failed.join(", ")}`);
    },
  };
}
