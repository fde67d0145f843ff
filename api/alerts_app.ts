import { createRoute, z } from "@hono/zod-openapi";
import { createOpenApiApp } from "./openapi_app.ts";
import { DEVICE_NAME } from "../shared/reading/mod.ts";
import { AlertSchema } from "../shared/store/records.ts";
import type { Store } from "../shared/store/store.ts";
import { badRequestResponse } from "./errors.ts";
import { PageQuery } from "./query_schemas.ts";

export interface AlertsAppDeps {
  store: Store;
}

const AlertPageSchema = z.object({
  items: z.array(AlertSchema),
  next_cursor: z.string().nullable(),
}).meta({ id: "AlertPage" });

const listAlerts = createRoute({
  method: "get",
  path: "/",
  tags: ["alerts"],
  summary: "Alerts raised, newest first",
  request: {
    query: PageQuery.extend({
      device: z.string().regex(DEVICE_NAME, { error: "must be a device name" }).optional()
        .openapi({ description: "Only this device's alerts." }),
    }),
  },
  responses: {
    200: {
      description: "One page of alerts.",
      content: { "application/json": { schema: AlertPageSchema } },
    },
    400: badRequestResponse,
  },
});

/** `/alerts`. */
export function createAlertsApp(deps: AlertsAppDeps) {
  return createOpenApiApp().openapi(listAlerts, async (c) => {
    const page = await deps.store.listAlerts(c.req.valid("query"));
    return c.json(page, 200);
  });
}
