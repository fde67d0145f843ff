import { z } from "@hono/zod-openapi";
import { DEVICE_NAME, DEVICE_NAME_RULE } from "../shared/reading/mod.ts";

/** Path parameter `{id}`: a device name. */
export const DeviceParams = z.object({
  id: z.string().regex(DEVICE_NAME, {
    error: `must be a device name (${DEVICE_NAME_RULE})`,
  })
    .openapi({ param: { name: "id", in: "path" }, example: "pc1" }),
});

const time = (description: string) =>
  z.iso.datetime({ offset: true, error: "must be an ISO 8601 time, like 2026-01-31T12:00:00Z" })
    .transform((value) => Date.parse(value))
    .optional()
    .openapi({
      description: `${description} ISO 8601, e.g. 2026-01-31T12:00:00Z.`,
      type: "string",
      format: "date-time",
    });

/** `limit`, `before`, `after` and `cursor`, shared by every time-ordered list. */
export const PageQuery = z.object({
  limit: z.coerce.number({ error: "must be a number" }).int({ error: "must be a whole number" })
    .min(1, { error: "must be at least 1" }).max(1000, { error: "must be at most 1000" }).default(
      100,
    )
    .openapi({ description: "Items per page, 1 to 1000.", example: 100 }),
  before: time("Only items strictly before this time."),
  after: time("Only items strictly after this time."),
  cursor: z.string().max(200, { error: "is too long to be a cursor" }).optional()
    .openapi({ description: "The `next_cursor` of the previous page." }),
});
