import { createRoute, z } from "@hono/zod-openapi";
import { ReadingSchema } from "../shared/reading/mod.ts";
import { badRequestResponse, notFoundBody, notFoundResponse } from "./errors.ts";
import { createOpenApiApp } from "./openapi_app.ts";
import { DeviceParams, timeRangeQuery } from "./query_schemas.ts";
import type { RouteDeps } from "./route_deps.ts";

const ReadingPageSchema = z.object({
  device: z.string(),
  items: z.array(ReadingSchema),
  next_cursor: z.string().nullable().openapi({
    description: "Pass as `cursor` for the next page; null on the last.",
  }),
}).meta({ id: "ReadingPage" });

const listReadings = createRoute({
  method: "get",
  path: "/{id}/readings",
  tags: ["readings"],
  summary: "A device's readings, newest first, a page at a time",
  request: { params: DeviceParams, query: timeRangeQuery({}) },
  responses: {
    200: {
      description: "One page of readings.",
      content: { "application/json": { schema: ReadingPageSchema } },
    },
    400: badRequestResponse,
    404: notFoundResponse,
  },
});

/** `/v1/devices/{id}/readings`. */
export function createReadingsApp(deps: RouteDeps) {
  const { store, cursors } = deps;
  return createOpenApiApp().openapi(listReadings, async (c) => {
    const { id } = c.req.valid("param");
    const { cursor, ...query } = c.req.valid("query");
    const scope = `readings:${id}`;
    const opened = cursor === undefined ? undefined : await cursors.open(scope, cursor);
    if (!(await store.getDevice(id))) return c.json(notFoundBody(`No device '${id}'`), 404);
    const page = await store.listReadings(id, { ...query, cursor: opened });
    return c.json({
      device: id,
      items: page.items,
      next_cursor: await cursors.sign(scope, page.next_cursor),
    }, 200);
  });
}
