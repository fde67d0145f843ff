import type { Reading } from "../shared/reading/mod.ts";
import type { Prediction } from "../shared/store/records.ts";

/** One reading in a device's memory. */
export interface WindowEntry {
  readonly reading: Reading;
  /** Its reading time, ms. */
  readonly time: number;
  /** The prediction the store holds for it, as this process made it; null when not known. */
  prediction: Prediction | null;
  /** A reading that arrived late landed in its window (or raised its clock maximum): score it again. */
  stale: boolean;
  /** When it arrived, ms of the clock; -Infinity for readings read back from the store. */
  readonly arrivedAt: number;
  /** Read back from the store (stored before this process saw it). */
  readonly fromStore: boolean;
}

export interface DeviceWindowsOptions {
  /** Readings a window holds, the scored one included: the scorer's `windowSize`. */
  size: number;
  /** Decided readings kept per device for late ones to find their neighbours. Default 2 × size. */
  retain?: number;
}

/**
 * What `add()` did: `added`; `duplicate` (its uuid is in memory already); or
 * `before_memory` (older than the readings memory holds for the device: its
 * window is in the store, not here; nothing was added).
 */
export type AddResult = "added" | "duplicate" | "before_memory";

export interface DeviceWindows {
  /** Whether the device has a memory yet (to know when to seed it from the store). */
  has(device: string): boolean;
  /**
   * Starts a device's memory with its newest stored readings (any order).
   * `complete`: the store holds none older, so a reading older than all of
   * them still finds its whole window here.
   */
  seed(device: string, readings: readonly Reading[], options: { complete: boolean }): void;
  /** Adds an incoming reading in time order, from `source` (topic and partition) at `arrivedAt`. */
  add(reading: Reading, arrival: { source: string; arrivedAt: number }): AddResult;
  /** The device's readings in time order (then by uuid). */
  entries(device: string): readonly WindowEntry[];
  /** The window ending with `reading` (oldest first, at most `size`), from memory. */
  windowFor(reading: Reading): Reading[];
  /** Highest `ClockCPUCoreOne` among the device's readings taken at or before `time`, MHz; null before any. */
  maxClock(device: string, time: number): number | null;
  /** How many topic-partitions the device's readings came from since it was seeded. */
  sourceCount(device: string): number;
  /** Time of the device's newest reading in memory, ms; null without one. */
  newest(device: string): number | null;
  /** Drops decided readings (at or before `decidedUpTo`) beyond the newest `retain`. */
  trim(device: string, decidedUpTo: number | null): void;
  /** Forgets a device (after a failed batch: the store is the truth, it is seeded again). */
  forget(device: string): void;
}

/** An entry as memory holds it: with the highest clock of the device's readings up to it. */
interface Held extends WindowEntry {
  /** Highest `ClockCPUCoreOne` of the device's readings up to and including this one (dropped ones too). */
  maxClock: number | null;
}

interface DeviceMemory {
  entries: Held[];
  uuids: Set<string>;
  sources: Set<string>;
  /** Memory holds every reading of the device the store has before its oldest entry. */
  complete: boolean;
  /** Highest clock of the readings dropped from memory (all older than what it holds). */
  droppedMaxClock: number | null;
}

/**
 * Each device's recent readings, ordered by their own time stamps whatever
 * order they arrive in, for the scorer's windows.
 *
 * A window is the `size` readings up to and including the scored one, by
 * reading time: a reading that arrives late lands in its place, repeats of a
 * uuid are dropped, and the readings after it whose windows it joins are
 * marked `stale` so the pipeline scores them again. Memory keeps the newest
 * `retain` readings of each device (and any not yet decided); a reading older
 * than that (`before_memory`) is scored from the store's readings instead.
 */
export function createDeviceWindows(options: DeviceWindowsOptions): DeviceWindows {
  const { size } = options;
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError(`Cannot keep windows: 'size' must be a positive integer, got ${size}`);
  }
  const retain = options.retain ?? 2 * size;
  if (!Number.isInteger(retain) || retain < size) {
    throw new RangeError(
      `Cannot keep windows: 'retain' must be an integer of at least 'size' (${size}), got ${retain}`,
    );
  }
  const memories = new Map<string, DeviceMemory>();

  const memoryOf = (device: string): DeviceMemory => {
    let memory = memories.get(device);
    if (!memory) {
      memory = {
        entries: [],
        uuids: new Set(),
        sources: new Set(),
        complete: true,
        droppedMaxClock: null,
      };
      memories.set(device, memory);
    }
    return memory;
  };

  /**
   * Inserts an entry in time order and brings the clock maxima after it up
   * to date; returns where it went and the index after the last entry whose
   * maximum it raised.
   */
  const insert = (
    memory: DeviceMemory,
    entry: WindowEntry,
  ): { at: number; raisedUntil: number } => {
    const { entries } = memory;
    const at = positionOf(entries, entry.time, entry.reading.uuid);
    const held: Held = {
      ...entry,
      maxClock: higher(at > 0 ? entries[at - 1]!.maxClock : memory.droppedMaxClock, entry.reading),
    };
    entries.splice(at, 0, held);
    memory.uuids.add(entry.reading.uuid);
    let i = at + 1;
    for (; i < entries.length; i++) {
      const maxClock = higher(entries[i - 1]!.maxClock, entries[i]!.reading);
      if (maxClock === entries[i]!.maxClock) break;
      entries[i]!.maxClock = maxClock;
    }
    return { at, raisedUntil: i };
  };

  /** Index of the entry of `reading` in memory, or -1. */
  const indexOf = (memory: DeviceMemory, reading: Reading): number => {
    const at = positionOf(memory.entries, Date.parse(reading.timestamp), reading.uuid) - 1;
    return at >= 0 && memory.entries[at]!.reading.uuid === reading.uuid ? at : -1;
  };

  const maxClockOf = (memory: DeviceMemory, time: number): number | null => {
    // The last entry taken at or before `time` holds the maximum up to it.
    let lo = 0, hi = memory.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (memory.entries[mid]!.time <= time) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 ? memory.entries[lo - 1]!.maxClock : memory.droppedMaxClock;
  };

  return {
    has: (device) => memories.has(device),
    seed(device, readings, { complete }) {
      const memory = memoryOf(device);
      memory.complete = complete;
      for (const reading of readings) {
        if (memory.uuids.has(reading.uuid)) continue;
        insert(memory, {
          reading,
          time: Date.parse(reading.timestamp),
          prediction: null,
          stale: false,
          arrivedAt: -Infinity,
          fromStore: true,
        });
      }
    },
    add(reading, arrival) {
      const memory = memoryOf(reading.device);
      if (memory.uuids.has(reading.uuid)) return "duplicate";
      const time = Date.parse(reading.timestamp);
      const at = positionOf(memory.entries, time, reading.uuid);
      // Its window needs the size - 1 readings before it: here, or the store's.
      if (!memory.complete && at < size - 1) return "before_memory";
      const { raisedUntil } = insert(memory, {
        reading,
        time,
        prediction: null,
        stale: false,
        arrivedAt: arrival.arrivedAt,
        fromStore: false,
      });
      memory.sources.add(arrival.source);
      // The readings whose windows it joins, and those whose clock maximum it raised.
      const end = Math.min(memory.entries.length, Math.max(at + size, raisedUntil));
      for (let i = at + 1; i < end; i++) {
        const later = memory.entries[i]!;
        if (later.prediction !== null || later.fromStore) later.stale = true;
      }
      return "added";
    },
    entries: (device) => memories.get(device)?.entries ?? [],
    windowFor(reading) {
      const memory = memories.get(reading.device);
      const end = memory ? indexOf(memory, reading) : -1;
      if (!memory || end === -1) return [reading];
      return memory.entries.slice(Math.max(0, end + 1 - size), end + 1).map((e) => e.reading);
    },
    maxClock(device, time) {
      const memory = memories.get(device);
      return memory ? maxClockOf(memory, time) : null;
    },
    sourceCount: (device) => memories.get(device)?.sources.size ?? 0,
    newest: (device) => memories.get(device)?.entries.at(-1)?.time ?? null,
    trim(device, decidedUpTo) {
      const memory = memories.get(device);
      if (!memory || decidedUpTo === null) return;
      const { entries } = memory;
      let drop = Math.max(0, entries.length - retain);
      // Never a reading still to be decided.
      while (drop > 0 && entries[drop - 1]!.time > decidedUpTo) drop--;
      if (drop === 0) return;
      // The newest dropped entry's maximum covers every dropped one.
      memory.droppedMaxClock = entries[drop - 1]!.maxClock;
      for (const entry of entries.splice(0, drop)) memory.uuids.delete(entry.reading.uuid);
      memory.complete = false;
    },
    forget(device) {
      memories.delete(device);
    },
  };
}

/** Whether a reading at `time` with `uuid` sorts before `entry`. */
function before(time: number, uuid: string, entry: WindowEntry): boolean {
  return time < entry.time || (time === entry.time && uuid < entry.reading.uuid);
}

/** Where an entry of this time and uuid goes: after every entry that sorts before it. */
function positionOf(entries: readonly WindowEntry[], time: number, uuid: string): number {
  let lo = 0, hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(time, uuid, entries[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The higher of a maximum and a reading's clock. */
function higher(max: number | null, reading: Reading): number | null {
  const clock = clockOf(reading);
  return clock === null ? max : max === null ? clock : Math.max(max, clock);
}

function clockOf(reading: Reading): number | null {
  return reading.profile === "pc" ? reading.ClockCPUCoreOne ?? null : null;
}
