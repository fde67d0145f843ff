import type { Clock } from "../shared/clock.ts";
import type { Logger } from "../shared/log.ts";
import type { Reading } from "../shared/reading/mod.ts";
import { buildReading } from "./build_reading.ts";
import { createSamplingLoop, type SamplingStats } from "./sampling_loop.ts";
import type { SensorSource, SensorStatus } from "../shared/sensors/sensor_source.ts";

export interface AgentDeps {
  sensors: SensorSource;
  /** Device name: the reading's `device` and its topic. */
  device: string;
  /** Time between samples. Default {@linkcode AGENT_DEFAULTS}: 5 s, the old system's rhythm. */
  intervalMs?: number;
  clock: Clock;
  log: Logger;
  /** Hands a reading on (to a transport, a buffer, stdout). Not awaited by the rhythm. */
  deliver: (reading: Reading) => Promise<void>;
  simulated?: boolean;
}

export const AGENT_DEFAULTS = { intervalMs: 5_000 } as const;

export interface Agent {
  /** Probes the sensors once, then samples until `stop()`. */
  start(): Promise<SensorStatus[]>;
  /** Stops sampling and waits for readings in flight to be delivered. */
  stop(): Promise<void>;
  stats(): SamplingStats & { delivered: number; delivery_failures: number };
}

/**
 * The producer agent: samples the sensors on a fixed rhythm, turns each
 * sample into a validated reading and delivers it. Delivery runs beside the
 * rhythm, so a slow transport never delays the next sample.
 */
export function createAgent(deps: AgentDeps): Agent {
  const { sensors, device, clock, log } = deps;
  const stopper = new AbortController();
  const inFlight = new Set<Promise<void>>();
  let delivered = 0;
  let deliveryFailures = 0;
  let running: Promise<void> | null = null;

  const loop = createSamplingLoop({
    intervalMs: deps.intervalMs ?? AGENT_DEFAULTS.intervalMs,
    clock,
    log,
    sample: async (time) => {
      const values = await sensors.sample();
      const reading = buildReading({
        device,
        profile: sensors.profile,
        values,
        time,
        simulated: deps.simulated,
      });
      const delivery = deps.deliver(reading).then(
        () => void delivered++,
        (error) => {
          deliveryFailures++;
          log.error("reading not delivered", {
            uuid: reading.uuid,
            error: (error as Error).message,
          });
        },
      );
      inFlight.add(delivery);
      delivery.finally(() => inFlight.delete(delivery));
    },
  });

  return {
    async start() {
      const inventory = await sensors.inventory();
      running = loop.run(stopper.signal);
      return inventory;
    },
    async stop() {
      stopper.abort();
      await running;
      await Promise.all(inFlight);
    },
    stats: () => ({ ...loop.stats(), delivered, delivery_failures: deliveryFailures }),
  };
}

/** The inventory as one readable block for the start-up log. */
export function formatInventory(
  device: string,
  profile: string,
  inventory: SensorStatus[],
): string {
  const width = Math.max(...inventory.map((s) => s.field.length));
  const lines = inventory.map((s) =>
    `  ${s.present ? "✓" : "✗"} ${s.field.padEnd(width)}  ${s.detail}`
  );
  return [`Sensors of ${device} (${profile}):`, ...lines].join("\n");
}
