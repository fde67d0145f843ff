import { applyDeliveryPatch, newAlertRecord, upgradeAlert } from "./alert_records.ts";
import { alertStateJson, checkDevice } from "./store_checks.ts";
import { listTimeOrdered } from "./_kv_time_list.ts";
import type { Alert } from "./records.ts";
import { type AlertQuery, checkPageQuery, type Page, type Store } from "./store.ts";
import { key } from "./_kv_keys.ts";
import {
  commitUnlessLocked,
  getManyInSlices,
  MAX_COMMIT_ATTEMPTS,
  retryWhileLocked,
} from "./_kv_commit.ts";

export type KvAlertMethods = Pick<
  Store,
  | "saveAlert"
  | "getAlert"
  | "listAlerts"
  | "listPendingAlerts"
  | "updateAlertDelivery"
  | "getAlertStates"
  | "saveAlertStates"
>;

/** Alerts on Deno KV: the alerts (by id, by time, by device), their outbox and the policy's state per device. */
export function createKvAlertMethods(kv: Deno.Kv): KvAlertMethods {
  /** Writes an alert under its id, both lists and (while pending) the outbox. */
  function setAlert(op: Deno.AtomicOperation, alert: Alert, previous: Alert | null) {
    const time = Date.parse(alert.raised_at);
    op.set(key.alert(alert.id), alert)
      .set(key.alertByTime(time, alert.id), alert)
      .set(key.deviceAlert(alert.device, time, alert.id), alert);
    if (alert.state === "pending") op.set(key.pendingAlert(time, alert.id), alert);
    else if (previous?.state === "pending") op.delete(key.pendingAlert(time, alert.id));
  }

  async function getAlert(id: string): Promise<Alert | null> {
    const stored = (await kv.get<Alert>(key.alert(id))).value;
    return stored ? upgradeAlert(stored) : null;
  }

  return {
    async saveAlert(input) {
      const alert = newAlertRecord(input);
      const op = kv.atomic().check({ key: key.alert(alert.id), versionstamp: null });
      setAlert(op, alert, null);
      if ((await retryWhileLocked(() => op.commit())).ok) return alert;
      return (await getAlert(alert.id))!;
    },
    getAlert,
    listAlerts(query: AlertQuery): Promise<Page<Alert>> {
      const prefix = query.device ? key.deviceAlerts(query.device) : key.alerts();
      return upgradedAlerts(listTimeOrdered<Alert>(kv, prefix, query));
    },
    async listPendingAlerts(query) {
      checkPageQuery(query);
      const alerts: Alert[] = [];
      const iterator = kv.list<Alert>({ prefix: key.pendingAlerts() }, { limit: query.limit });
      for await (const entry of iterator) alerts.push(upgradeAlert(entry.value));
      return alerts;
    },
    async updateAlertDelivery(id, patch) {
      for (let attempt = 1;; attempt++) {
        const entry = await kv.get<Alert>(key.alert(id));
        if (!entry.value) return null;
        const current = upgradeAlert(entry.value);
        const next = applyDeliveryPatch(current, patch);
        const op = kv.atomic().check(entry);
        setAlert(op, next, current);
        if ((await commitUnlessLocked(op)).ok) return next;
        if (attempt === MAX_COMMIT_ATTEMPTS) {
          throw new Error(`Cannot update alert '${id}': ${attempt} commits lost a race`);
        }
      }
    },
    async getAlertStates(devices) {
      const entries = await getManyInSlices<string>(kv, devices.map(key.alertState));
      const states = new Map<string, unknown>();
      entries.forEach((entry, i) => {
        if (entry.value !== null) states.set(devices[i]!, JSON.parse(entry.value));
      });
      return states;
    },
    async saveAlertStates(states) {
      const entries = [...states].map(([device, state]) => {
        checkDevice("save the alert state", device);
        return [device, alertStateJson(device, state)] as const;
      });
      // 4 KiB at most each: 100 per commit stay under KV's 800 KiB.
      for (let i = 0; i < entries.length; i += 100) {
        const op = kv.atomic();
        for (const [device, json] of entries.slice(i, i + 100)) {
          op.set(key.alertState(device), json);
        }
        await retryWhileLocked(() => op.commit());
      }
    },
  };
}

async function upgradedAlerts(page: Promise<Page<Alert>>): Promise<Page<Alert>> {
  const { items, next_cursor } = await page;
  return { items: items.map(upgradeAlert), next_cursor };
}
