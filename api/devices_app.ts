import { createRoute, z } from "@hono/zod-openapi";
import { createOpenApiApp } from "./openapi_app.ts";
import { DeviceStatusSchema, DeviceSummarySchema } from "../shared/store/records.ts";
import type { Store } from "../shared/store/store.ts";
import { badRequestResponse, notFoundBody, notFoundResponse } from "./errors.ts";
import { DeviceParams, PageQuery } from "./query_schemas.ts";

export interface DevicesAppDeps {
  store: Store;
}

const listDevices = createRoute({
  method: "get",
  path: "/",
  tags: ["devices"],
  summary: "The devices by name, a page at a time, with profile, last-seen time and latest status",
  request: { query: PageQuery.pick({ limit: true, cursor: true }) },
  responses: {
    200: {
      description: "One page of devices, by name.",
      content: {
        "application/json": {
          schema: z.object({
            items: z.array(DeviceSummarySchema),
            next_cursor: z.string().nullable().openapi({
              description: "Pass as `cursor` for the next page; null on the last.",
            }),
          }),
        },
      },
    },
    400: badRequestResponse,
  },
});

const getDevice = createRoute({
  method: "get",
  path: "/{id}",
  tags: ["devices"],
  summary: "One device's summary",
  request: { params: DeviceParams },
  responses: {
    200: {
      description: "The device.",
      content: { "application/json": { schema: DeviceSummarySchema } },
    },
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

/** `/devices`: the device list, one device, and its latest status. */
export function createDevicesApp(deps: DevicesAppDeps) {
  const { store } = deps;
  return createOpenApiApp()
    .openapi(listDevices, async (c) => {
      const { limit, cursor } = c.req.valid("query");
      return c.json(await store.listDevices({ limit, cursor }), 200);
    })
    .openapi(getDevice, async (c) => {
      const { id } = c.req.valid("param");
      const device = await store.getDevice(id);
      return device ? c.json(device, 200) : c.json(notFoundBody(`No device '${id}'`), 404);
    })
    .openapi(getStatus, async (c) => {
      const { id } = c.req.valid("param");
      const status = await store.getStatus(id);
      return status ? c.json(status, 200) : c.json(notFoundBody(`No device '${id}'`), 404);
    });
}
