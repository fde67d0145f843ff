import { clockTime, dateTime } from "./_format.ts";
import { AlertList } from "./alert_list.tsx";
import { DeviceTile, toneOf } from "./device_tile.tsx";
import type { StatusSnapshot } from "./status_snapshot.ts";

interface StatusViewProps {
  snapshot: StatusSnapshot;
  timeZone: string;
  /** Where the rest of the devices can be listed (the API's docs). */
  docsUrl: string;
}

/**
 * The page's data: a line of counts, one tile per device and the newest
 * alerts. Rendered into the page at `/` and answered alone by the data route,
 * which the page's script fetches every few seconds and swaps in by
 * `data-key`.
 */
export function StatusView({ snapshot, timeZone, docsUrl }: StatusViewProps) {
  const { devices, now } = snapshot;
  const tones = devices.map(toneOf);
  const count = (tone: string) => tones.filter((t) => t === tone).length;
  const counts = [
    `${devices.length}${snapshot.moreDevices ? "+" : ""} device${devices.length === 1 ? "" : "s"}`,
    count("now") > 0 ? `${count("now")} stressed now` : null,
    count("soon") > 0 ? `${count("soon")} stressed soon` : null,
    count("offline") > 0 ? `${count("offline")} offline` : null,
  ].filter((part) => part !== null).join(" · ");
  return (
    <div class="view" data-keyed="">
      <section class="overview" data-key="overview">
        <p class="counts">{counts}</p>
        <p class="updated">
          updated{" "}
          <time datetime={new Date(now).toISOString()} title={dateTime(now, timeZone)}>
            {clockTime(now, timeZone)}
          </time>{" "}
          ({timeZone})
        </p>
        {snapshot.moreDevices
          ? (
            <p class="more">
              Showing the first {devices.length}{" "}
              devices by name; the API's device list pages through all of them (see the{" "}
              <a href={docsUrl}>API docs</a>).
            </p>
          )
          : null}
      </section>
      <section class="devices" data-key="devices" data-keyed="" aria-label="Devices">
        {devices.length === 0
          ? (
            <p class="empty" data-key="no-devices">
              No devices yet. Start a producer on a machine (<code>deno task producer</code>), or
              try <code>deno task start --simulate 3</code>.
            </p>
          )
          : devices.map((tile) => (
            (
              <DeviceTile
                key={tile.summary.device}
                tile={tile}
                from={snapshot.from}
                now={now}
                timeZone={timeZone}
              />
            )
          ))}
      </section>
      <section class="recent-alerts" data-key="alerts">
        <h2>Last alerts</h2>
        <AlertList rows={snapshot.alerts} now={now} timeZone={timeZone} />
      </section>
    </div>
  );
}
