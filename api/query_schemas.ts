import { z } from "@hono/zod-openapi";
import { DEVICE_NAME, DEVICE_NAME_RULE } from "../shared/reading/mod.ts";

/**
 * Query and path parameters shared by the routes. A query parameter given
 * twice (`?limit=5&limit=6`) arrives as an array: each schema says "must be
 * given once" for it instead of a confusing type error.
 */
const once = (message: string) => (issue: { input?: unknown }) =>
  Array.isArray(issue.input) ? "must be given once" : message;

/** Path parameter `{id}`: a device name ({@linkcode DEVICE_NAME}, so never `.` or `..`). */
export const DeviceParams = z.object({
  id: z.string().regex(DEVICE_NAME, { error: `must be a device name (${DEVICE_NAME_RULE})` })
    .openapi({ param: { name: "id", in: "path" }, example: "pc1" }),
});

/**
 * A whole number written in plain decimal digits (`100`; not `0x10`, `1e2`,
 * ` 5 ` or `5.0`, which `Number()` would accept), within bounds.
 */
export function wholeNumberParam(options: {
  min: number;
  max: number;
  description: string;
  example?: number;
}) {
  const { min, max } = options;
  return z.string({ error: once("must be a whole number") })
    .regex(/^[0-9]{1,15}$/, { error: "must be a whole number in decimal digits, like 100" })
    .transform(Number)
    .refine((n) => n >= min, { error: `must be at least ${min}` })
    .refine((n) => n <= max, { error: `must be at most ${max}` })
    .openapi({
      type: "integer",
      minimum: min,
      maximum: max,
      description: options.description,
      ...(options.example === undefined ? {} : { example: options.example }),
    });
}

/** An ISO 8601 time with a zone, as ms since the epoch. */
export function timeParam(description: string) {
  return z.iso.datetime({
    offset: true,
    error: once("must be an ISO 8601 time, like 2026-01-31T12:00:00Z"),
  })
    .transform((value) => Date.parse(value))
    .openapi({
      description: `${description} ISO 8601, e.g. 2026-01-31T12:00:00Z.`,
      type: "string",
      format: "date-time",
    });
}

/** Default page size of every list. */
export const DEFAULT_PAGE_SIZE = 100;

/** `limit`, 1 to 1000, default {@linkcode DEFAULT_PAGE_SIZE}. */
export const limitParam = wholeNumberParam({
  min: 1,
  max: 1000,
  description: `Items per page, 1 to 1000 (default ${DEFAULT_PAGE_SIZE}).`,
  example: DEFAULT_PAGE_SIZE,
}).optional().transform((n) => n ?? DEFAULT_PAGE_SIZE);

/** `cursor`: the signed `next_cursor` of a previous page (checked by the route). */
export const cursorParam = z.string({ error: once("must be a cursor") })
  .max(400, { error: "is too long to be a cursor" })
  .optional()
  .openapi({ description: "The `next_cursor` of the previous page." });

/** `limit` and `cursor`: a list by name. */
export const PageQuery = z.object({ limit: limitParam, cursor: cursorParam });

/**
 * `limit`, `before`, `after` and `cursor`, shared by every time-ordered
 * list; `before` must be later than `after` (else the page would be empty
 * by construction: a 400 says so instead). `extra` adds route parameters.
 */
export function timeRangeQuery<S extends z.ZodRawShape>(extra: S) {
  return z.object({
    limit: limitParam,
    before: timeParam("Only items strictly before this time.").optional(),
    after: timeParam("Only items strictly after this time.").optional(),
    cursor: cursorParam,
    ...extra,
  }).superRefine((query, ctx) => {
    const { before, after } = query as { before?: number; after?: number };
    if (before !== undefined && after !== undefined && before <= after) {
      ctx.addIssue({
        code: "custom",
        path: ["before"],
        message: "must be later than after (nothing lies strictly between them)",
      });
    }
  });
}
