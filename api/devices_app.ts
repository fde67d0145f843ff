import { createRoute, z } from "@hono/zod-openapi";
import { DeviceStatusSchema } from "../shared/store/records.ts";
import { DeviceSchema, deviceView } from "./device_view.ts";
import { badRequestResponse, notFoundBody, notFoundResponse } from "./errors.ts";
import { createOpenApiApp } from "./openapi_app.ts";
import { DeviceParams, PageQuery } from "./query_schemas.ts";
import type { RouteDeps } from "./route_deps.ts";

const DevicePageSchema = z.object({
  items: z.array(DeviceSchema),
  next_cursor: z.string().nullable().openapi({
    description: "Pass as `cursor` for the next page; null on the last.",
  }),
}).meta({ id: "DevicePage" });

const deviceResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: DeviceSchema } },
});

const listDevices = createRoute({
  method: "get",
  path: "/",
  tags: ["devices"],
  summary: "The devices by name, a page at a time, with state, last-seen time and latest status",
  request: { query: PageQuery },
  responses: {
    200: {
      description: "One page of devices, by name.",
      content: { "application/json": { schema: DevicePageSchema } },
    },
    400: badRequestResponse,
  },
});

const getDevice = createRoute({
  method: "get",
  path: "/{id}",
  tags: ["devices"],
  summary: "One device: summary and state (online, offline since, decommissioned; muted)",
  request: { params: DeviceParams },
  responses: { 200: deviceResponse("The device."), 400: badRequestResponse, 404: notFoundResponse },
});

const decommission = createRoute({
  method: "delete",
  path: "/{id}",
  tags: ["devices"],
  summary: "Decommission a device: no more offline alerts; its data stays until it expires",
  description: "The device stays listed as `decommissioned`; a reading taken later brings it " +
    "back. Decommissioning it again keeps the first time.",
  request: { params: DeviceParams },
  responses: {
    200: deviceResponse("The device, decommissioned."),
    400: badRequestResponse,
    404: notFoundResponse,
  },
});

const getStatus = createRoute({
  method: "get",
  path: "/{id}/status",
  tags: ["devices"],
  summary: "The latest prediction for a device, with its probability and the reading it came from",
  request: { params: DeviceParams },
  responses: {
    200: {
      description: "The latest status.",
      content: { "application/json": { schema: DeviceStatusSchema } },
    },
    400: badRequestResponse,
    404: notFoundResponse,
  },
});

/** `/v1/devices`: the device list, one device, its retirement and its latest status. */
export function createDevicesApp(deps: RouteDeps) {
  const { store, clock, cursors } = deps;
  const view = (summary: Parameters<typeof deviceView>[0]) =>
    deviceView(summary, clock.now(), { offlineAfterS: deps.offlineAfterS });
  const noDevice = (id: string) => notFoundBody(`No device '${id}'`);
  return createOpenApiApp()
    .openapi(listDevices, async (c) => {
      const { limit, cursor } = c.req.valid("query");
      const page = await store.listDevices({
        limit,
        cursor: cursor === undefined ? undefined : await cursors.open("devices", cursor),
      });
      return c.json({
        items: page.items.map(view),
        next_cursor: await cursors.sign("devices", page.next_cursor),
      }, 200);
    })
    .openapi(getDevice, async (c) => {
      const { id } = c.req.valid("param");
      const device = await store.getDevice(id);
      return device ? c.json(view(device), 200) : c.json(noDevice(id), 404);
    })
    .openapi(decommission, async (c) => {
      const { id } = c.req.valid("param");
      const device = await store.getDevice(id);
      if (!device) return c.json(noDevice(id), 404);
      if (device.decommissioned_at !== null) return c.json(view(device), 200);
      const retired = await store.decommissionDevice(id, new Date(clock.now()).toISOString());
      if (!retired) return c.json(noDevice(id), 404);
      deps.log.info("device decommissioned", { device: id });
      return c.json(view(retired), 200);
    })
    .openapi(getStatus, async (c) => {
      const { id } = c.req.valid("param");
      const status = await store.getStatus(id);
      return status ? c.json(status, 200) : c.json(noDevice(id), 404);
    });
}
