/**
 * Waits until `check` is true, looking every `everyMs`, for tests that watch
 * another process or a network peer (a Kafka consumer, a child process)
 * whose progress no fake clock can drive. Fails naming `what` after
 * `timeoutMs`.
 */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  options: { what: string; timeoutMs?: number; everyMs?: number },
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const everyMs = options.everyMs ?? 25;
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${options.what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
