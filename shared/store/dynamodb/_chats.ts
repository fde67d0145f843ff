import { DeleteItemCommand } from "@aws-sdk/client-dynamodb";
import { checkChatId, checkDevice, checkTime } from "../store_checks.ts";
import { ALL_DEVICES, type Chat } from "../records.ts";
import type { Store } from "../store.ts";
import { keys } from "./_keys.ts";
import type { StoreTable } from "./_table.ts";

export type ChatMethods = Pick<
  Store,
  "saveChat" | "getChat" | "subscribe" | "unsubscribe" | "listSubscribers" | "listSubscriptions"
>;

/** Paired chats and their subscriptions (both ways: a chat's devices, a device's chats) on DynamoDB. */
export function createChatMethods(table: StoreTable): ChatMethods {
  const { deps, get, put, queryAll } = table;
  const { client } = deps;

  return {
    async saveChat(chat) {
      checkChatId("save the chat", chat.chat_id);
      checkTime("save the chat", "paired_at", chat.paired_at);
      const record: Chat = { chat_id: chat.chat_id, paired_at: chat.paired_at, name: chat.name };
      await put({ ...keys.chat(chat.chat_id), doc: { S: JSON.stringify(record) } });
    },
    async getChat(chatId) {
      checkChatId("read the chat", chatId);
      const item = await get(keys.chat(chatId));
      return item ? JSON.parse(item.doc!.S!) : null;
    },
    async subscribe(chatId, device) {
      checkChatId("subscribe", chatId);
      checkDevice("subscribe", device, { all: true });
      await put({
        ...keys.subscription(chatId, device),
        g2pk: { S: keys.subscribersOf(device) },
        g2sk: { S: String(chatId) },
      });
    },
    async unsubscribe(chatId, device) {
      checkChatId("unsubscribe", chatId);
      checkDevice("unsubscribe", device, { all: true });
      await client.send(
        new DeleteItemCommand({ TableName: deps.table, Key: keys.subscription(chatId, device) }),
      );
    },
    async listSubscribers(device) {
      const chats = new Set<number>();
      for (const name of device === ALL_DEVICES ? [device] : [device, ALL_DEVICES]) {
        for (const item of await queryAll("by_device", "g2pk", keys.subscribersOf(name))) {
          chats.add(Number(item.g2sk!.S!));
        }
      }
      return [...chats].sort((a, b) => a - b);
    },
    async listSubscriptions(chatId) {
      checkChatId("list subscriptions", chatId);
      const items = await queryAll(undefined, "pk", keys.chatOf(chatId), "SUB#");
      return items.map((item) => item.sk!.S!.slice(4));
    },
  };
}
