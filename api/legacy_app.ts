import { createRoute, z } from "@hono/zod-openapi";
import { DEVICE_NAME, DEVICE_NAME_RULE, type Reading } from "../shared/reading/mod.ts";
import type { Prediction } from "../shared/store/records.ts";
import { badRequestResponse, notFoundBody, notFoundResponse } from "./errors.ts";
import { createOpenApiApp } from "./openapi_app.ts";
import type { RouteDeps } from "./route_deps.ts";

/**
 * The replaced system's routes, answered in its shapes for its clients:
 * `GET /devices/` (and `/devices`), `GET /devices/{name}` and
 * `GET /devices/{name}/status`. Deprecated: the API is under `/v1`.
 *
 * Bounded where the old system scanned its whole table: see the limits.
 */

/** `GET /devices/{name}`: the newest readings of the device, at most this many. */
export const LEGACY_DEVICE_READINGS = 1000;
/** `GET /devices/`: at most this many readings in all ... */
export const LEGACY_ALL_READINGS = 1000;
/** ... shared equally by at most this many devices, the first by name. */
export const LEGACY_DEVICES = 100;

/** The old system's fields of each profile, beside `uuid`, `device` and `loading_datetime`. */
export const LEGACY_FIELDS = {
  pc: [
    "ClockCPUCoreOne",
    "TemperatureCPUPackage",
    "LoadCPUTotal",
    "PowerCPUPackage",
    "TemperatureGPUCore",
    "LoadGPUCore",
  ],
  raspberry: [
    "GPU_temp_celsius",
    "CPU_temp_celsius",
    "frequency_arm_hz",
    "frequency_core_hz",
    "frequency_pwm_hz",
    "voltage_core_v",
    "voltage_sdram_c_v",
    "voltage_sdram_i_v",
    "voltage_sdram_p_v",
    "memory_arm_bytes",
    "memory_gpu_bytes",
    "throttled",
  ],
} as const;

const sensor = z.number().nullable().optional();
const LegacyReadingSchema = z.object({
  uuid: z.string(),
  device: z.string(),
  loading_datetime: z.string().openapi({ example: "2026-01-31@12:00:05" }),
  ...Object.fromEntries(LEGACY_FIELDS.pc.map((name) => [name, sensor])),
  ...Object.fromEntries(
    LEGACY_FIELDS.raspberry.filter((name) => name !== "throttled").map((name) => [name, sensor]),
  ),
  throttled: z.string().nullable().optional().openapi({
    description: "As the old Pi producers sent it: `throttled=0x50005`.",
  }),
  prediction: z.union([z.literal(0), z.literal(1)]).openapi({
    description: "1: stressed now or soon (the probability reached the alert threshold); 0: not.",
  }),
}).meta({ id: "LegacyReading" });

type LegacyReading = z.infer<typeof LegacyReadingSchema>;

const LegacyStatusSchema = z.object({
  msg: z.enum(["The device is OK", "The device is stressed"]),
}).meta({ id: "LegacyStatus" });

const NameParams = z.object({
  name: z.string().regex(DEVICE_NAME, { error: `must be a device name (${DEVICE_NAME_RULE})` })
    .openapi({ param: { name: "name", in: "path" }, example: "pc1" }),
});

const MOVED = "Deprecated: the replaced system's route, kept for its clients. Use `/v1`.";

const listAll = (path: "/devices" | "/devices/") =>
  createRoute({
    method: "get",
    path,
    tags: ["old routes"],
    deprecated: true,
    summary: "The replaced system's reading list: the newest readings of every device",
    description: `${MOVED} The old system scanned its whole table here; this answers at most ` +
      `${LEGACY_ALL_READINGS} readings: the newest ${LEGACY_ALL_READINGS} / n of each of the ` +
      `first n ≤ ${LEGACY_DEVICES} devices by name, each device's oldest first. Use ` +
      "`GET /v1/devices` and `GET /v1/devices/{id}/readings`.",
    responses: {
      200: {
        description: "Readings in the old field names.",
        content: { "application/json": { schema: z.array(LegacyReadingSchema) } },
      },
    },
  });

const listOne = createRoute({
  method: "get",
  path: "/devices/{name}",
  tags: ["old routes"],
  deprecated: true,
  summary: "The replaced system's readings of one device",
  description: `${MOVED} The device's newest ${LEGACY_DEVICE_READINGS} readings, oldest first, ` +
    "in the old field names; an empty list for a device with none. Use " +
    "`GET /v1/devices/{id}/readings`.",
  request: { params: NameParams },
  responses: {
    200: {
      description: "Readings in the old field names.",
      content: { "application/json": { schema: z.array(LegacyReadingSchema) } },
    },
    400: badRequestResponse,
  },
});

const status = createRoute({
  method: "get",
  path: "/devices/{name}/status",
  tags: ["old routes"],
  deprecated: true,
  summary: "The replaced system's status message",
  description: `${MOVED} "The device is stressed" when its newest prediction is 1, else "The ` +
    'device is OK". Use `GET /v1/devices/{id}/status`.',
  request: { params: NameParams },
  responses: {
    200: {
      description: "The message.",
      content: { "application/json": { schema: LegacyStatusSchema } },
    },
    400: badRequestResponse,
    404: notFoundResponse,
  },
});

/** The old `prediction`: 1 when the device is stressed now or soon. */
export function legacyPrediction(prediction: Prediction): 0 | 1 {
  return prediction.stressed_soon || prediction.stressed_now ? 1 : 0;
}

/** A stored reading in the old system's fields. */
export function legacyReading(reading: Reading, prediction: Prediction): LegacyReading {
  const source = reading as unknown as Record<string, unknown>;
  const record: Record<string, unknown> = {
    uuid: reading.uuid,
    device: reading.device,
    loading_datetime: reading.loading_datetime,
  };
  for (const name of LEGACY_FIELDS[reading.profile]) {
    const value = source[name];
    record[name] = value === undefined ? null : value;
  }
  if (typeof record.throttled === "string") record.throttled = `throttled=${record.throttled}`;
  record.prediction = legacyPrediction(prediction);
  return record as LegacyReading;
}

/** The replaced system's routes, in its shapes, bounded. */
export function createLegacyApp(deps: RouteDeps) {
  const { store } = deps;
  /** The device's newest `count` readings, oldest first, in the old shape. */
  const newest = async (device: string, count: number) => {
    const page = await store.listScored(device, { limit: count });
    return page.items.reverse().map(({ reading, prediction }) =>
      legacyReading(reading, prediction)
    );
  };
  const all = async () => {
    const devices = await store.listDevices({ limit: LEGACY_DEVICES });
    const each = Math.max(1, Math.floor(LEGACY_ALL_READINGS / devices.items.length));
    const lists = await Promise.all(devices.items.map((d) => newest(d.device, each)));
    return lists.flat();
  };
  return createOpenApiApp()
    .openapi(listAll("/devices"), async (c) => c.json(await all(), 200))
    .openapi(listAll("/devices/"), async (c) => c.json(await all(), 200))
    .openapi(listOne, async (c) => {
      const { name } = c.req.valid("param");
      return c.json(await newest(name, LEGACY_DEVICE_READINGS), 200);
    })
    .openapi(status, async (c) => {
      const { name } = c.req.valid("param");
      const latest = await store.getStatus(name);
      if (!latest) return c.json(notFoundBody(`No device '${name}'`), 404);
      const msg = legacyPrediction(latest.prediction) === 1
        ? "The device is stressed" as const
        : "The device is OK" as const;
      return c.json({ msg }, 200);
    });
}
