import { createRoute, z } from "@hono/zod-openapi";
import { createOpenApiApp } from "./openapi_app.ts";
import { ReadingSchema } from "../shared/reading/mod.ts";
import type { Store } from "../shared/store/store.ts";
import { badRequestResponse, notFoundBody, notFoundResponse } from "./errors.ts";
import { DeviceParams, PageQuery } from "./query_schemas.ts";

export interface ReadingsAppDeps {
  store: Store;
}

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
  request: { params: DeviceParams, query: PageQuery },
  responses: {
    200: {
      description: "One page of readings.",
      content: { "application/json": { schema: ReadingPageSchema } },
    },
    400: badRequestResponse,
    404: notFoundResponse,
  },
});

/** `/devices/{id}/readings`. */
export function createReadingsApp(deps: ReadingsAppDeps) {
  const { store } = deps;
  return createOpenApiApp().openapi(listReadings, async (c) => {
    const { id } = c.req.valid("param");
    const query = c.req.valid("query");
    if (!(await store.getDevice(id))) return c.json(notFoundBody(`No device '${id}'`), 404);
    const page = await store.listReadings(id, query);
    return c.json({ device: id, ...page }, 200);
  });
}
