import type { Reading } from "../shared/reading/mod.ts";

export interface DeviceWindowsOptions {
  /** Readings kept per device: the scorer's `windowSize`. */
  size: number;
}

export interface DeviceWindows {
  /** Whether the device has a window yet (to know when to seed it from the store). */
  has(device: string): boolean;
  /** Adds readings, keeping time order and dropping repeats of a uuid. */
  add(reading: Reading): void;
  /** The window ending with `reading` (oldest first), as it stands now. */
  windowFor(reading: Reading): Reading[];
  /** Highest `ClockCPUCoreOne` seen for the device, MHz; null before any. */
  maxClock(device: string): number | null;
}

/**
 * The short per-device window the scorer sees. Readings are kept in time
 * order, so a late reading lands in its place; only the newest `size` stay.
 */
export function createDeviceWindows(options: DeviceWindowsOptions): DeviceWindows {
  const { size } = options;
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError(`Cannot keep windows: 'size' must be a positive integer, got ${size}`);
  }
  const windows = new Map<string, Reading[]>();
  const clocks = new Map<string, number>();
  return {
    has: (device) => windows.has(device),
    add(reading) {
      const window = windows.get(reading.device) ?? [];
      windows.set(reading.device, window);
      if (reading.profile === "pc" && reading.ClockCPUCoreOne != null) {
        clocks.set(
          reading.device,
          Math.max(clocks.get(reading.device) ?? 0, reading.ClockCPUCoreOne),
        );
      }
      if (window.some((r) => r.uuid === reading.uuid)) return;
      const time = Date.parse(reading.timestamp);
      let at = window.length;
      while (at > 0 && Date.parse(window[at - 1]!.timestamp) > time) at--;
      window.splice(at, 0, reading);
      if (window.length > size) window.splice(0, window.length - size);
    },
    windowFor(reading) {
      const window = windows.get(reading.device) ?? [];
      const end = window.findIndex((r) => r.uuid === reading.uuid);
      return end === -1 ? [reading] : window.slice(0, end + 1);
    },
    maxClock: (device) => clocks.get(device) ?? null,
  };
}
