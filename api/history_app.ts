import { createRoute, z } from "@hono/zod-openapi";
import type { Profile } from "../shared/reading/mod.ts";
import {
  HISTORY_MAX_POINTS,
  historyStepS,
  numericMetrics,
  readingHistory,
} from "../shared/store/reading_history.ts";
import { badRequestBody, badRequestResponse, notFoundBody, notFoundResponse } from "./errors.ts";
import { createOpenApiApp } from "./openapi_app.ts";
import { DeviceParams, timeParam, wholeNumberParam } from "./query_schemas.ts";
import type { RouteDeps } from "./route_deps.ts";

/** The metric charted when none is asked for. */
export const DEFAULT_METRIC: Record<Profile, string> = {
  pc: "TemperatureCPUPackage",
  raspberry: "CPU_temp_celsius",
};
/** The range charted when none is asked for: the last hour. */
export const DEFAULT_HISTORY_S = 3600;
/**
 * The longest range, s. A history reads every reading in its range (from
 * the time index, a page of 1,000 at a time): a month at 5 s is about
 * 535,000 readings. Readings expire after 30 days by default anyway.
 */
export const MAX_HISTORY_S = 31 * 86_400;

const metrics = numericMetrics() as [string, ...string[]];

const HistorySchema = z.object({
  device: z.string(),
  metric: z.string(),
  from: z.string().openapi({ format: "date-time", description: "Start, inclusive." }),
  to: z.string().openapi({ format: "date-time", description: "End, exclusive." }),
  step_s: z.number().int().openapi({ description: "Seconds per point." }),
  points: z.array(z.object({
    time: z.string().openapi({ format: "date-time", description: "Start of the step." }),
    min: z.number(),
    mean: z.number(),
    max: z.number(),
    count: z.number().int().openapi({ description: "Readings with a value in the step." }),
  })).openapi({
    description: `At most ${HISTORY_MAX_POINTS}, oldest first. A step without a value is ` +
      "left out: a gap in the series is a gap in the data.",
  }),
}).meta({ id: "History" });

const getHistory = createRoute({
  method: "get",
  path: "/{id}/history",
  tags: ["readings"],
  summary: "A metric of a device as min, mean and max per step (at most 1,000 points), for charts",
  request: {
    params: DeviceParams,
    query: z.object({
      metric: z.enum(metrics, {
        error: (issue) =>
          Array.isArray(issue.input)
            ? "must be given once"
            : `must be a numeric reading field (${metrics.join(", ")})`,
      }).optional().openapi({
        description: "A numeric reading field of the device's profile; default its CPU " +
          "temperature (TemperatureCPUPackage, CPU_temp_celsius).",
      }),
      from: timeParam("Start, inclusive; default an hour before `to`.").optional(),
      to: timeParam("End, exclusive; default now.").optional(),
      step: wholeNumberParam({
        min: 1,
        max: 86_400 * 31,
        description: `Seconds per point; default the smallest usual step (5 s, 10 s, ..., 1 day) ` +
          `that keeps to ${HISTORY_MAX_POINTS} points.`,
        example: 60,
      }).optional(),
    }),
  },
  responses: {
    200: {
      description: "The series.",
      content: { "application/json": { schema: HistorySchema } },
    },
    400: badRequestResponse,
    404: notFoundResponse,
  },
});

/** `/v1/devices/{id}/history`: through `readingHistory()`, from the readings' time index. */
export function createHistoryApp(deps: RouteDeps) {
  const { store, clock } = deps;
  return createOpenApiApp().openapi(getHistory, async (c) => {
    const { id } = c.req.valid("param");
    const query = c.req.valid("query");
    const device = await store.getDevice(id);
    if (!device) return c.json(notFoundBody(`No device '${id}'`), 404);
    const metric = query.metric ?? DEFAULT_METRIC[device.profile];
    if (!numericMetrics(device.profile).includes(metric)) {
      return c.json(
        badRequestBody(
          "metric",
          `a ${device.profile} has no ${metric}; one of ${
            numericMetrics(device.profile).join(", ")
          }`,
        ),
        400,
      );
    }
    const to = query.to ?? clock.now();
    const from = query.from ?? to - DEFAULT_HISTORY_S * 1000;
    if (!(from < to)) return c.json(badRequestBody("from", "must be earlier than to"), 400);
    if (to - from > MAX_HISTORY_S * 1000) {
      return c.json(badRequestBody("from", "the range must be at most 31 days"), 400);
    }
    const steps = query.step === undefined ? 0 : Math.ceil((to - from) / (query.step * 1000));
    if (steps > HISTORY_MAX_POINTS) {
      return c.json(
        badRequestBody(
          "step",
          `${steps} steps of ${query.step} s, at most ${HISTORY_MAX_POINTS}: take a step of at ` +
            `least ${historyStepS(from, to)} s or a shorter range`,
        ),
        400,
      );
    }
    const history = await readingHistory(store, id, { metric, from, to, stepS: query.step });
    return c.json({
      device: id,
      metric,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      step_s: history.step_s,
      points: history.points.map((p) => ({ ...p, time: new Date(p.time).toISOString() })),
    }, 200);
  });
}
