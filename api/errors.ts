import { z } from "@hono/zod-openapi";

/** Every error the API answers with has this body. */
export const ErrorSchema = z.object({
  error: z.object({
    code: z.enum(["bad_request", "not_found", "internal"]),
    message: z.string(),
    /** The query or path parameter at fault, for 400s. */
    field: z.string().optional(),
  }),
}).meta({ id: "Error" });

export type ErrorBody = z.infer<typeof ErrorSchema>;

/** Route response entries; used as `400: badRequestResponse` (a spread loses their types). */
export const badRequestResponse = {
  description: "A parameter is invalid; `field` names it.",
  content: { "application/json": { schema: ErrorSchema } },
};
export const notFoundResponse = {
  description: "No such device.",
  content: { "application/json": { schema: ErrorSchema } },
};

/** The body of a 400 naming the parameter at fault. */
export function badRequestBody(field: string, message: string): ErrorBody {
  return { error: { code: "bad_request", field, message: `${field}: ${message}` } };
}

/** The body of a 404. */
export function notFoundBody(message: string): ErrorBody {
  return { error: { code: "not_found", message } };
}
