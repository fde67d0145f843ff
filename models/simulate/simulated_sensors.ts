import type { SensorSource, SensorStatus } from "../../shared/sensors/sensor_source.ts";
import type { Clock } from "../../shared/clock.ts";
import { createSimulatedDevice, type DeviceSpec } from "./simulated_device.ts";

/**
 * A simulated device as a SensorSource, so the ordinary producer agent can
 * sample it live (`deno task start --simulate N`): each sample advances the
 * device's physics by the time elapsed on the clock since the last one.
 */
export function createSimulatedSensors(
  spec: DeviceSpec,
  deps: { clock: Clock; demo?: boolean },
): SensorSource {
  const device = createSimulatedDevice(spec, { demo: deps.demo });
  let last: number | null = null;
  let carry = 0;
  return {
    profile: spec.profile,
    inventory(): Promise<SensorStatus[]> {
      const values = device.values();
      return Promise.resolve(
        Object.entries(values).map(([field, value]) => ({
          field,
          present: value !== null,
          detail: value === null ? "not simulated for this device" : `simulated (${spec.name})`,
        })),
      );
    },
    sample() {
      const now = deps.clock.now();
      if (last !== null) {
        carry += (now - last) / 1000;
        const whole = Math.floor(carry);
        device.advance(whole);
        carry -= whole;
      }
      last = now;
      return Promise.resolve(device.values());
    },
  };
}
