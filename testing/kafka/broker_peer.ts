import { type TestPeer, testPeer } from "../test_peer.ts";
import { brokerAvailable } from "./start_test_broker.ts";

/**
 * Whether tests that need the Kafka test broker run: yes when it is built,
 * a skip with a one-line notice on a laptop without it, a failure under
 * `CI=true`.
 *
 * @example
 * ```ts
 * const { ignore } = await brokerPeer();
 * Deno.test({ name: "...", ignore, fn: async () => {} });
 * ```
 */
export async function brokerPeer(): Promise<TestPeer> {
  return testPeer({
    name: "kafka test broker",
    available: await brokerAvailable(),
    install: "deno task test:setup",
  });
}
