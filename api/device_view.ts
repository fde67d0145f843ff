import { z } from "@hono/zod-openapi";
import { deviceState } from "../shared/store/device_state.ts";
import { type DeviceSummary, DeviceSummarySchema } from "../shared/store/records.ts";

/** A device as the API shows it: its summary and what it is doing now. */
export const DeviceSchema = DeviceSummarySchema.extend({
  state: z.enum(["online", "offline", "decommissioned"]).openapi({
    description: "online: it sent a reading within 3 of its own sampling intervals; offline: " +
      "it has been silent longer (a `deno task start` that stopped simulating leaves its " +
      "simulated devices offline); decommissioned: the owner retired it.",
  }),
  state_since: z.string().nullable().openapi({
    description: "offline: the time of its last reading; decommissioned: when it was retired; " +
      "online: null.",
    format: "date-time",
  }),
  muted: z.boolean().openapi({ description: "Its alerts are held back now (see muted_until)." }),
  sampling_interval_s: z.number().nullable().openapi({
    description: "Its own sampling interval, s: the median of recent_gaps_s; null before two " +
      "readings.",
  }),
}).meta({ id: "Device" });

export type DeviceView = z.infer<typeof DeviceSchema>;

export interface DeviceViewOptions {
  /** Silence after which a device counts as offline, s; default 3 of its sampling intervals. */
  offlineAfterS?: number;
}

/** The summary with its state at `now` (ms). */
export function deviceView(
  summary: DeviceSummary,
  now: number,
  options: DeviceViewOptions = {},
): DeviceView {
  const { state, since, muted, sampling_interval_s } = deviceState(summary, now, options);
  return { ...summary, state, state_since: since, muted, sampling_interval_s };
}
