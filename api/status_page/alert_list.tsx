import type { AlertKind } from "../../shared/store/records.ts";
import { clockTime, dateTime, percent, sameDay } from "./_format.ts";
import type { AlertRow } from "./status_snapshot.ts";

const KIND_LABEL: Record<AlertKind, string> = {
  stress: "stress",
  under_voltage: "under-voltage",
  offline: "offline",
  online: "back online",
  recovered: "recovered",
};

const VERDICT_LABEL = { right: "✓ right", wrong: "✗ wrong" } as const;

interface AlertListProps {
  rows: readonly AlertRow[];
  now: number;
  timeZone: string;
}

/**
 * The newest alerts, newest first: when, which device, what, the model's
 * probability, whether it reached the owner, and the owner's verdict.
 */
export function AlertList({ rows, now, timeZone }: AlertListProps) {
  if (rows.length === 0) return <p class="empty">No alerts yet.</p>;
  return (
    <ol class="alerts">
      {rows.map(({ alert, verdict }) => {
        const raised = Date.parse(alert.raised_at);
        return (
          <li key={alert.id} class="alert" data-key={`alert:${alert.id}`}>
            <time datetime={alert.raised_at} title={dateTime(raised, timeZone)}>
              {sameDay(raised, now, timeZone)
                ? clockTime(raised, timeZone)
                : dateTime(raised, timeZone)}
            </time>
            <span class="alert-device">{alert.device}</span>
            <span class={`kind kind-${alert.kind}`}>{KIND_LABEL[alert.kind]}</span>
            <span class="alert-message">{alert.message}</span>
            <span class="alert-facts">
              {alert.probability === null ? null : <span>p {percent(alert.probability)}</span>}
              <span class={`delivery delivery-${alert.state}`}>{alert.state}</span>
              {verdict
                ? <span class={`verdict verdict-${verdict}`}>{VERDICT_LABEL[verdict]}</span>
                : <span class="verdict verdict-none">no verdict</span>}
            </span>
          </li>
        );
      })}
    </ol>
  );
}
