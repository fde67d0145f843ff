import type { Store } from "../shared/store/store.ts";
import { alertsContract } from "./store_contract/alerts_contract.ts";
import { chatsContract } from "./store_contract/chats_contract.ts";
import { devicesContract } from "./store_contract/devices_contract.ts";
import { feedbackContract } from "./store_contract/feedback_contract.ts";
import { readingsContract } from "./store_contract/readings_contract.ts";
import type { StoreCase } from "./store_contract/store_case.ts";

/**
 * The behaviour every Store adapter must have. Each adapter's test calls this
 * with a factory that gives a fresh, empty store; the suite runs unchanged
 * against Deno KV, DynamoDB on dynalite and DynamoDB on moto_server. Its
 * cases live in store_contract/, one file per area of the port.
 */
export function storeContract(
  name: string,
  open: () => Promise<Store>,
  options: {
    ignore?: boolean;
    /** False when the store talks to a server kept running across cases (its sockets stay open). */
    sanitize?: boolean;
  } = {},
) {
  const test: StoreCase = (title, fn) =>
    Deno.test({
      name: `${name}: ${title}`,
      ignore: options.ignore,
      sanitizeResources: options.sanitize ?? true,
      sanitizeOps: options.sanitize ?? true,
      fn: async () => {
        const store = await open();
        try {
          await fn(store);
        } finally {
          await store.close();
        }
      },
    });

  readingsContract(test);
  devicesContract(test);
  alertsContract(test);
  feedbackContract(test);
  chatsContract(test);

  test("ping() answers while the store can be reached", async (store) => {
    await store.ping();
  });
}
