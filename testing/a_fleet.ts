import type { Reading } from "../shared/reading/mod.ts";
import type { Store } from "../shared/store/store.ts";
import { aScored } from "./a_prediction.ts";
import { aPcReading, aRaspberryReading, later } from "./a_reading.ts";
import { anAlert } from "./an_alert.ts";

/** One reading every this many seconds in {@linkcode fillFleet}. */
export const FLEET_STEP_S = 15;

const iso = (time: number) => new Date(time).toISOString();

/**
 * `count` readings of `first`'s device, `FLEET_STEP_S` apart, the last at
 * `lastAt` (ms), each with `temperature(i)`.
 */
function series<T extends Reading>(
  first: T,
  count: number,
  lastAt: number,
  temperature: (i: number) => Partial<T>,
): T[] {
  const start = { ...first, timestamp: iso(lastAt - (count - 1) * FLEET_STEP_S * 1000) };
  return Array.from({ length: count }, (_, i) => later(start, i * FLEET_STEP_S, temperature(i)));
}

/**
 * A small fleet as the status page and the bot see it at `now`, saved into
 * `store`:
 *
 * - `pc1` (pc): heating from 60 to about 84 °C over the last 50 min, online,
 *   its newest prediction stressed soon (p 0.72); a stress alert 3 min ago
 *   that the owner called right;
 * - `raspberry` (Pi): 48-52 °C, online, muted for the next hour; an
 *   under-voltage alert 30 min ago without a verdict;
 * - `laptop` (pc): readings from 50 to 20 min ago, then silence: offline;
 *   an offline alert whose message holds HTML;
 * - `old-nas` (pc): two readings 2 h ago, decommissioned.
 */
export async function fillFleet(store: Store, now: number): Promise<void> {
  const pc1 = series(aPcReading({ device: "pc1" }), 200, now - 5_000, (i) => ({
    TemperatureCPUPackage: Math.round((60 + i * 0.12) * 10) / 10,
    LoadCPUTotal: 90,
  }));
  const pi = series(aRaspberryReading({ device: "raspberry" }), 200, now - 10_000, (i) => ({
    CPU_temp_celsius: 50 + 2 * Math.sin(i / 10),
  }));
  const laptop = series(aPcReading({ device: "laptop" }), 120, now - 20 * 60_000, (i) => ({
    TemperatureCPUPackage: 45 + (i % 10),
  }));
  const nas = series(aPcReading({ device: "old-nas" }), 2, now - 2 * 3_600_000, () => ({}));
  await store.saveScored([
    ...pc1.map((r, i) =>
      aScored(
        r,
        i === pc1.length - 1 ? { probability: 0.72, threshold: 0.5, stressed_soon: true } : {},
      )
    ),
    ...pi.map((r) => aScored(r, { probability: 0.02 })),
    ...laptop.map((r) => aScored(r)),
    ...nas.map((r) => aScored(r)),
  ]);
  await store.setMute("raspberry", iso(now + 3_600_000));
  await store.decommissionDevice("old-nas", iso(now - 3_600_000));

  const stress = await store.saveAlert(
    anAlert("alert-pc1", "pc1", iso(now - 3 * 60_000), {
      message: "pc1 is likely to be stressed within a minute",
      probability: 0.81,
    }),
  );
  await store.updateAlertDelivery(stress.id, { state: "sent" });
  await store.saveFeedback({
    alert_id: stress.id,
    device: "pc1",
    timestamp: stress.timestamp,
    verdict: "right",
    given_at: iso(now - 60_000),
  });
  await store.saveAlert(
    anAlert("alert-pi", "raspberry", iso(now - 30 * 60_000), {
      profile: "raspberry",
      kind: "under_voltage",
      probability: null,
      threshold: null,
      model: null,
      message: "raspberry: under-voltage now",
      state: "muted",
    }),
  );
  await store.saveAlert(
    anAlert("alert-laptop", "laptop", iso(now - 19 * 60_000), {
      kind: "offline",
      probability: null,
      threshold: null,
      model: null,
      message: "laptop went silent <b>20 min</b> ago & <script>alert(1)</script>",
    }),
  );
}
