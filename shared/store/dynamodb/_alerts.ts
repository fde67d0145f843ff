import {
  ConditionalCheckFailedException,
  QueryCommand,
  type WriteRequest,
} from "@aws-sdk/client-dynamodb";
import { applyDeliveryPatch, newAlertRecord } from "../alert_records.ts";
import { alertStateJson, checkDevice } from "../store_checks.ts";
import type { Alert } from "../records.ts";
import { checkPageQuery, type Store } from "../store.ts";
import { batchGetAll, batchWriteAll } from "./batch_requests.ts";
import { ALERTS, keys, PENDING } from "./_keys.ts";
import { queryByTime } from "./_query_by_time.ts";
import { alertItem } from "./_items.ts";
import { docs, indexList, MAX_UPDATE_ATTEMPTS, type StoreTable } from "./_table.ts";

export type AlertMethods = Pick<
  Store,
  | "saveAlert"
  | "getAlert"
  | "listAlerts"
  | "listPendingAlerts"
  | "updateAlertDelivery"
  | "getAlertStates"
  | "saveAlertStates"
>;

/** Alerts on DynamoDB: the alerts, their outbox (the sparse `pending` index) and the policy's state per device. */
export function createAlertMethods(table: StoreTable): AlertMethods {
  const { deps, get, put } = table;
  const { client } = deps;

  async function getAlert(id: string): Promise<Alert | null> {
    const item = await get(keys.alert(id));
    return item ? JSON.parse(item.doc!.S!) : null;
  }

  return {
    async saveAlert(input) {
      const alert = newAlertRecord(input);
      try {
        await put(alertItem(alert), { expression: "attribute_not_exists(pk)" });
        return alert;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        return (await getAlert(alert.id))!;
      }
    },
    getAlert,
    listAlerts(query) {
      const list = query.device
        ? indexList("by_device", keys.alertsOf(query.device), keys.alert)
        : indexList("by_list", ALERTS, keys.alert);
      return docs<Alert>(queryByTime(deps, list, query));
    },
    async listPendingAlerts(query) {
      checkPageQuery(query);
      const response = await client.send(
        new QueryCommand({
          TableName: deps.table,
          IndexName: "pending",
          KeyConditionExpression: "g3pk = :pending",
          ExpressionAttributeValues: { ":pending": { S: PENDING } },
          Limit: query.limit,
        }),
      );
      const ids = (response.Items ?? []).map((item) => item.pk!.S!);
      // The index may lag a moment behind the table: read each alert itself.
      const found = await batchGetAll(
        deps,
        (response.Items ?? []).map((item) => ({
          pk: item.pk!,
          sk: item.sk!,
        })),
      );
      const byPk = new Map(found.map((item) => [item.pk!.S!, JSON.parse(item.doc!.S!) as Alert]));
      return ids.map((pk) => byPk.get(pk)).filter((a): a is Alert => a?.state === "pending");
    },
    async updateAlertDelivery(id, patch) {
      for (let attempt = 1;; attempt++) {
        const item = await get(keys.alert(id));
        if (!item) return null;
        const next = applyDeliveryPatch(JSON.parse(item.doc!.S!), patch);
        try {
          await put(alertItem(next), { expression: "doc = :doc", values: { ":doc": item.doc! } });
          return next;
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
          if (attempt === MAX_UPDATE_ATTEMPTS) {
            throw new Error(`Cannot update alert '${id}': ${attempt} writes lost a race`);
          }
        }
      }
    },
    async getAlertStates(devices) {
      const unique = [...new Set(devices)];
      const found = await batchGetAll(deps, unique.map(keys.alertState), {
        projection: "pk, doc",
      });
      const byDevice = new Map(found.map((item) => [item.pk!.S!.slice(2), item.doc!.S!]));
      const states = new Map<string, unknown>();
      for (const device of unique) {
        const json = byDevice.get(device);
        if (json !== undefined) states.set(device, JSON.parse(json));
      }
      return states;
    },
    async saveAlertStates(states) {
      const requests = [...states].map(([device, state]): WriteRequest => {
        checkDevice("save the alert state", device);
        const json = alertStateJson(device, state);
        return { PutRequest: { Item: { ...keys.alertState(device), doc: { S: json } } } };
      });
      await batchWriteAll(deps, requests);
    },
  };
}
