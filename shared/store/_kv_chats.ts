import { checkChatId, checkDevice, checkTime } from "./store_checks.ts";
import { ALL_DEVICES, type Chat } from "./records.ts";
import type { Store } from "./store.ts";
import { key } from "./_kv_keys.ts";
import { retryWhileLocked } from "./_kv_commit.ts";

export type KvChatMethods = Pick<
  Store,
  "saveChat" | "getChat" | "subscribe" | "unsubscribe" | "listSubscribers" | "listSubscriptions"
>;

/** Paired chats and their subscriptions (both ways: a chat's devices, a device's chats) on Deno KV. */
export function createKvChatMethods(kv: Deno.Kv): KvChatMethods {
  return {
    async saveChat(chat) {
      checkChatId("save the chat", chat.chat_id);
      checkTime("save the chat", "paired_at", chat.paired_at);
      const record: Chat = { chat_id: chat.chat_id, paired_at: chat.paired_at, name: chat.name };
      await retryWhileLocked(() => kv.set(key.chat(chat.chat_id), record));
    },
    async getChat(chatId) {
      return (await kv.get<Chat>(key.chat(chatId))).value;
    },
    async subscribe(chatId, device) {
      checkChatId("subscribe", chatId);
      checkDevice("subscribe", device, { all: true });
      await retryWhileLocked(() =>
        kv.atomic().set(key.subscriber(device, chatId), true)
          .set(key.subscription(chatId, device), true).commit()
      );
    },
    async unsubscribe(chatId, device) {
      checkChatId("unsubscribe", chatId);
      checkDevice("unsubscribe", device, { all: true });
      await retryWhileLocked(() =>
        kv.atomic().delete(key.subscriber(device, chatId))
          .delete(key.subscription(chatId, device)).commit()
      );
    },
    async listSubscribers(device) {
      const chats = new Set<number>();
      for (const name of device === ALL_DEVICES ? [device] : [device, ALL_DEVICES]) {
        for await (const entry of kv.list({ prefix: key.subscribers(name) })) {
          chats.add(entry.key.at(-1) as number);
        }
      }
      return [...chats].sort((a, b) => a - b);
    },
    async listSubscriptions(chatId) {
      const devices: string[] = [];
      for await (const entry of kv.list({ prefix: key.subscriptions(chatId) })) {
        devices.push(entry.key.at(-1) as string);
      }
      return devices;
    },
  };
}
