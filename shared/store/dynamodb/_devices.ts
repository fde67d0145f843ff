import { QueryCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { checkDevice, checkTime } from "../store_checks.ts";
import { decodeNameCursor, encodeNameCursor } from "../cursor.ts";
import type { DeviceSummary } from "../records.ts";
import { checkPageQuery, type Store } from "../store.ts";
import type { Item } from "./batch_requests.ts";
import { deviceListKey, DEVICES, keys } from "./_keys.ts";
import { merged } from "./_items.ts";
import type { StoreTable } from "./_table.ts";

export type DeviceMethods = Pick<
  Store,
  "listDevices" | "getDevice" | "decommissionDevice" | "setMute" | "clearMute"
>;

/**
 * Device summaries on DynamoDB: each device's summary item (what its
 * readings tell) merged with its owner item (mute, retirement).
 */
export function createDeviceMethods(table: StoreTable): DeviceMethods {
  const { deps, get } = table;
  const { client } = deps;

  async function readDevice(device: string): Promise<DeviceSummary | null> {
    const response = await client.send(
      new QueryCommand({
        TableName: deps.table,
        ConsistentRead: true,
        KeyConditionExpression: "pk = :pk AND sk BETWEEN :owner AND :summary",
        ExpressionAttributeValues: {
          ":pk": { S: keys.deviceOf(device) },
          ":owner": { S: "OWNER" },
          ":summary": { S: "SUMMARY" },
        },
      }),
    );
    const items = response.Items ?? [];
    const summary = items.find((item) => item.sk!.S === "SUMMARY");
    const owner = items.find((item) => item.sk!.S === "OWNER");
    return summary ? merged(summary, owner) : null;
  }

  /** Sets or removes one owner field of a known device; null for an unknown device. */
  async function updateOwner(
    device: string,
    field: "muted_until" | "decommissioned_at",
    value: string | null,
  ): Promise<DeviceSummary | null> {
    checkDevice("change the device", device);
    const summary = await get(keys.summary(device));
    if (!summary) return null;
    const update = value === null ? { UpdateExpression: `REMOVE ${field}` } : {
      UpdateExpression: `SET ${field} = :value, g1pk = :list, g1sk = :at`,
      ExpressionAttributeValues: {
        ":value": { S: value },
        ":list": { S: DEVICES },
        ":at": { S: deviceListKey(device, "O") },
      },
    };
    const response = await client.send(
      new UpdateItemCommand({
        TableName: deps.table,
        Key: keys.owner(device),
        ...update,
        ReturnValues: "ALL_NEW",
      }),
    );
    return merged(summary, response.Attributes);
  }

  return {
    async listDevices(query) {
      checkPageQuery(query);
      const after = query.cursor === undefined ? null : decodeNameCursor(query.cursor);
      const groups = new Map<string, { summary?: Item; owner?: Item }>();
      let start: Item | undefined;
      let done = false;
      // A device has one or two items (summary, owner) in the list: read
      // until the device after the page has started, so the page's devices
      // are whole.
      while (groups.size < query.limit + 2) {
        const response = await client.send(
          new QueryCommand({
            TableName: deps.table,
            IndexName: "by_list",
            KeyConditionExpression: after === null
              ? "g1pk = :list"
              : "g1pk = :list AND g1sk > :after",
            ExpressionAttributeValues: {
              ":list": { S: DEVICES },
              ...(after === null ? {} : { ":after": { S: `${after}#~` } }),
            },
            Limit: 2 * query.limit + 2,
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        for (const item of response.Items ?? []) {
          const listKey = item.g1sk!.S!;
          const cut = listKey.lastIndexOf("#");
          const device = listKey.slice(0, cut);
          const group = groups.get(device) ?? {};
          if (listKey.slice(cut + 1) === "S") group.summary = item;
          else group.owner = item;
          groups.set(device, group);
        }
        if (!response.LastEvaluatedKey) {
          done = true;
          break;
        }
        start = response.LastEvaluatedKey;
      }
      const whole = [...groups.values()].slice(0, done ? undefined : -1);
      const summaries = whole.filter((group) => group.summary)
        .map((group) => merged(group.summary!, group.owner));
      const items = summaries.slice(0, query.limit);
      const more = summaries.length > query.limit || (!done && items.length > 0);
      return { items, next_cursor: more ? encodeNameCursor(items.at(-1)!.device) : null };
    },
    getDevice(device) {
      return readDevice(device);
    },
    async decommissionDevice(device, at) {
      checkTime("decommission the device", "at", at);
      return await updateOwner(device, "decommissioned_at", at);
    },
    async setMute(device, until) {
      checkTime("mute the device", "until", until);
      return await updateOwner(device, "muted_until", until);
    },
    clearMute(device) {
      return updateOwner(device, "muted_until", null);
    },
  };
}
