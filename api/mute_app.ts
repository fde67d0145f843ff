import { createRoute, z } from "@hono/zod-openapi";
import { DeviceSchema, deviceView } from "./device_view.ts";
import { badRequestBody, badRequestResponse, notFoundBody, notFoundResponse } from "./errors.ts";
import { createOpenApiApp } from "./openapi_app.ts";
import { DeviceParams } from "./query_schemas.ts";
import type { RouteDeps } from "./route_deps.ts";

/** The longest mute, s: a device that should never alert is decommissioned instead. */
export const MAX_MUTE_S = 366 * 86_400;
const MIN_MUTE_S = 60;

const MuteBodySchema = z.strictObject({
  until: z.iso.datetime({
    offset: true,
    error: "must be an ISO 8601 time, like 2026-01-31T13:00:00Z",
  }).optional().openapi({ description: "When the mute ends.", example: "2026-01-31T13:00:00Z" }),
  duration_s: z.number({ error: "must be a number of seconds" })
    .int({ error: "must be a whole number of seconds" })
    .min(MIN_MUTE_S, { error: `must be at least ${MIN_MUTE_S}` })
    .max(MAX_MUTE_S, { error: `must be at most ${MAX_MUTE_S} (366 days)` })
    .optional().openapi({ description: "Or: how long from now, s.", example: 3600 }),
}).superRefine((body, ctx) => {
  if ((body.until === undefined) === (body.duration_s === undefined)) {
    ctx.addIssue({
      code: "custom",
      path: ["until"],
      message: "give either until (a time) or duration_s (seconds from now)",
    });
  }
}).meta({ id: "Mute" });

const deviceResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: DeviceSchema } },
});

const mute = createRoute({
  method: "put",
  path: "/{id}/mute",
  tags: ["devices"],
  summary: "Mute a device's alerts until a time: they are stored as `muted`, not sent",
  description: "Muting again replaces the end time. At most 366 days ahead.",
  request: {
    params: DeviceParams,
    body: { required: true, content: { "application/json": { schema: MuteBodySchema } } },
  },
  responses: {
    200: deviceResponse("The device, muted."),
    400: badRequestResponse,
    404: notFoundResponse,
  },
});

const unmute = createRoute({
  method: "delete",
  path: "/{id}/mute",
  tags: ["devices"],
  summary: "Unmute a device: its next alerts are sent again",
  request: { params: DeviceParams },
  responses: {
    200: deviceResponse("The device, not muted."),
    400: badRequestResponse,
    404: notFoundResponse,
  },
});

/** `/v1/devices/{id}/mute`. */
export function createMuteApp(deps: RouteDeps) {
  const { store, clock } = deps;
  const view = (summary: Parameters<typeof deviceView>[0]) =>
    deviceView(summary, clock.now(), { offlineAfterS: deps.offlineAfterS });
  const noDevice = (id: string) => notFoundBody(`No device '${id}'`);
  return createOpenApiApp()
    .openapi(mute, async (c) => {
      const { id } = c.req.valid("param");
      const body = c.req.valid("json");
      const now = clock.now();
      const until = body.until !== undefined
        ? Date.parse(body.until)
        : now + body.duration_s! * 1000;
      if (until <= now) return c.json(badRequestBody("until", "must be in the future"), 400);
      if (until > now + MAX_MUTE_S * 1000) {
        return c.json(
          badRequestBody(
            "until",
            "must be at most 366 days ahead; decommission the device instead",
          ),
          400,
        );
      }
      const device = await store.setMute(id, new Date(until).toISOString());
      if (!device) return c.json(noDevice(id), 404);
      deps.log.info("device muted", { device: id, until: device.muted_until });
      return c.json(view(device), 200);
    })
    .openapi(unmute, async (c) => {
      const { id } = c.req.valid("param");
      const device = await store.clearMute(id);
      if (!device) return c.json(noDevice(id), 404);
      deps.log.info("device unmuted", { device: id });
      return c.json(view(device), 200);
    });
}
