import { createRoute, z } from "@hono/zod-openapi";
import { DEVICE_NAME } from "../shared/reading/mod.ts";
import { recordVerdict } from "../shared/store/record_verdict.ts";
import { AlertSchema, FeedbackSchema } from "../shared/store/records.ts";
import { badRequestResponse, errorResponse, notFoundBody } from "./errors.ts";
import { createOpenApiApp } from "./openapi_app.ts";
import { timeRangeQuery } from "./query_schemas.ts";
import type { RouteDeps } from "./route_deps.ts";

const AlertPageSchema = z.object({
  items: z.array(AlertSchema),
  next_cursor: z.string().nullable().openapi({
    description: "Pass as `cursor` for the next page; null on the last.",
  }),
}).meta({ id: "AlertPage" });

const AlertParams = z.object({
  id: z.string().min(1).max(200, { error: "is too long to be an alert id" })
    .openapi({ param: { name: "id", in: "path" } }),
});

const noAlertResponse = errorResponse("No such alert.");

const listAlerts = createRoute({
  method: "get",
  path: "/",
  tags: ["alerts"],
  summary: "Alerts raised, newest first",
  request: {
    query: timeRangeQuery({
      device: z.string({
        error: (issue) => Array.isArray(issue.input) ? "must be given once" : "must be a string",
      }).regex(DEVICE_NAME, { error: "must be a device name" }).optional()
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

const getAlert = createRoute({
  method: "get",
  path: "/{id}",
  tags: ["alerts"],
  summary: "One alert, with its delivery to each chat",
  request: { params: AlertParams },
  responses: {
    200: { description: "The alert.", content: { "application/json": { schema: AlertSchema } } },
    400: badRequestResponse,
    404: noAlertResponse,
  },
});

const VerdictBodySchema = z.strictObject({
  verdict: z.enum(["right", "wrong"], { error: "must be right or wrong" }).openapi({
    description: "right: the device was about to be stressed; wrong: it was not.",
  }),
}).meta({ id: "VerdictRequest" });

const VerdictSchema = FeedbackSchema.extend({
  previous: z.enum(["right", "wrong"]).nullable().openapi({
    description: "The verdict this one replaced; null for the first answer.",
  }),
}).meta({ id: "Verdict" });

const postVerdict = createRoute({
  method: "post",
  path: "/{id}/verdict",
  tags: ["alerts"],
  summary: "Say whether an alert was right: the training label the models learn from",
  description: "A second verdict replaces the first (one label per alert). The same code path " +
    "as the bot's buttons and its Y / N replies.",
  request: {
    params: AlertParams,
    body: { required: true, content: { "application/json": { schema: VerdictBodySchema } } },
  },
  responses: {
    200: {
      description: "The verdict kept.",
      content: { "application/json": { schema: VerdictSchema } },
    },
    400: badRequestResponse,
    404: noAlertResponse,
  },
});

/** `/v1/alerts`: the list, one alert, and the owner's verdict on it. */
export function createAlertsApp(deps: RouteDeps) {
  const { store, cursors, clock } = deps;
  return createOpenApiApp()
    .openapi(listAlerts, async (c) => {
      const { cursor, ...query } = c.req.valid("query");
      const scope = `alerts:${query.device ?? "*"}`;
      const page = await store.listAlerts({
        ...query,
        cursor: cursor === undefined ? undefined : await cursors.open(scope, cursor),
      });
      return c.json({
        items: page.items,
        next_cursor: await cursors.sign(scope, page.next_cursor),
      }, 200);
    })
    .openapi(getAlert, async (c) => {
      const { id } = c.req.valid("param");
      const alert = await store.getAlert(id);
      return alert ? c.json(alert, 200) : c.json(notFoundBody(`No alert '${id}'`), 404);
    })
    .openapi(postVerdict, async (c) => {
      const { id } = c.req.valid("param");
      const { verdict } = c.req.valid("json");
      const recorded = await recordVerdict(store, { alertId: id, verdict, at: clock.now() });
      if (!recorded) return c.json(notFoundBody(`No alert '${id}'`), 404);
      deps.log.info("verdict recorded", {
        alert: id,
        verdict,
        previous: recorded.previous ?? undefined,
      });
      return c.json({ ...recorded.feedback, previous: recorded.previous }, 200);
    });
}
