/**
 * The readings the consumer benchmarks send: a fleet of devices keyed over
 * Kafka partitions as production has them (many devices in every partition,
 * each device always in the same one), every device sampling every 5 s.
 */
import { encodeReading, type Reading } from "../../shared/reading/mod.ts";
import type { ScoredReading } from "../../shared/store/store.ts";
import { aPcReading, aRaspberryReading, later } from "../../testing/a_reading.ts";
import { aScored } from "../../testing/a_prediction.ts";

export interface BenchFleet {
  /** `1,200 devices`, for the tables. */
  name: string;
  devices: number;
  /** Each partition's readings in the order a producer sends them: round by round, device by device. */
  partitions: Reading[][];
  total: number;
}

export interface BenchFleetOptions {
  devices: number;
  /** Readings in all. */
  total: number;
  partitions?: number;
  /** Time of the newest round, ms. Default now (so the readings are recent). */
  endAt?: number;
}

/**
 * `devices` devices (a quarter of them Raspberry Pis), device `d` in partition
 * `d % partitions`, `total / devices` readings each, 5 s apart, ending at
 * `endAt`. Values move a little from reading to reading, as real ones do.
 */
export function benchFleet(options: BenchFleetOptions): BenchFleet {
  const { devices, total } = options;
  const partitionCount = options.partitions ?? 12;
  const rounds = Math.floor(total / devices);
  if (rounds < 1 || rounds * devices !== total) {
    throw new RangeError(
      `Cannot make a bench fleet: 'total' must be a multiple of ${devices} devices, got ${total}`,
    );
  }
  const startAt = (options.endAt ?? Date.now()) - (rounds - 1) * 5_000;
  const timestamp = new Date(startAt).toISOString();
  const firsts = Array.from({ length: devices }, (_, d): Reading => {
    const device = `bench-${devices}-${d}`;
    // A quarter Pis, spread so that a partition with many devices holds both kinds.
    return (d + Math.floor(d / partitionCount)) % 4 === 3
      ? aRaspberryReading({ device, timestamp, CPU_temp_celsius: 50 + (d % 7) })
      : aPcReading({
        device,
        timestamp,
        TemperatureCPUPackage: 50 + (d % 9),
        load_average_1m: 1.25,
        memory_used_bytes: 8_000_000_000,
        memory_total_bytes: 16_000_000_000,
      });
  });
  const partitions: Reading[][] = Array.from({ length: partitionCount }, () => []);
  for (let round = 0; round < rounds; round++) {
    firsts.forEach((first, d) => {
      const wobble = Math.round(Math.sin(round / 3 + d) * 20) / 10;
      const reading = first.profile === "pc"
        ? later(first, round * 5, {
          TemperatureCPUPackage: first.TemperatureCPUPackage! + wobble,
          LoadCPUTotal: Math.round(200 + wobble * 50) / 10,
        })
        : later(first, round * 5, {
          CPU_temp_celsius: Math.round((first.CPU_temp_celsius! + wobble) * 10) / 10,
        });
      partitions[d % partitionCount]!.push(reading);
    });
  }
  return { name: `${devices.toLocaleString("en")} devices`, devices, partitions, total };
}

/** Each partition's readings encoded as the producer sends them. */
export function encodedPartitions(fleet: BenchFleet): Uint8Array[][] {
  return fleet.partitions.map((readings) => readings.map(encodeReading));
}

/**
 * The same readings as the store receives them, for the raw write rates: a
 * prediction of the shape and size a model gives (probability, model name
 * and version, two reasons).
 */
export function scoredBatches(fleet: BenchFleet, batchSize: number): ScoredReading[][] {
  const batches: ScoredReading[][] = [];
  const longest = Math.max(...fleet.partitions.map((p) => p.length));
  for (let offset = 0; offset < longest; offset += batchSize) {
    for (const partition of fleet.partitions) {
      const slice = partition.slice(offset, offset + batchSize);
      if (slice.length === 0) continue;
      batches.push(slice.map((reading) =>
        aScored(reading, {
          probability: 0.12,
          threshold: 0.31,
          model: reading.profile === "pc" ? "pc@0bee80fe6fdf" : "raspberry@5ccb91660cd4",
          reasons: ["CPU 55 °C, 35 °C below the 90 °C limit", "load 20 %"],
        })
      ));
    }
  }
  return batches;
}
