import { z } from "@hono/zod-openapi";

/**
 * The stable error codes, each with its HTTP status. A client branches on
 * `code`, never on the message, which may be reworded.
 */
export const ERROR_STATUS = {
  bad_request: 400,
  host_not_allowed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  payload_too_large: 413,
  uri_too_long: 414,
  unsupported_media_type: 415,
  headers_too_large: 431,
  internal: 500,
  misconfigured: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
export const ERROR_CODES = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];

/** Every error the service answers with has this body. */
export const ErrorSchema = z.object({
  error: z.object({
    code: z.enum(ERROR_CODES).openapi({
      description: "Stable: branch on it. bad_request: a parameter or the body is invalid " +
        "(`field` names it); host_not_allowed: the Host header is not in ALLOWED_HOSTS; " +
        "unauthorized: no or a wrong bearer token; forbidden: a write refused (no API_TOKEN " +
        "set, or sent by a page of another site); not_found; method_not_allowed (see Allow); " +
        "payload_too_large; uri_too_long; unsupported_media_type (send application/json); " +
        "headers_too_large; internal: a bug, see the service log; misconfigured: a setting of " +
        "the service is wrong, see the message; unavailable: the store cannot be reached.",
    }),
    message: z.string().openapi({ description: "What is wrong, for people." }),
    field: z.string().optional().openapi({
      description: "The parameter or body field at fault, for bad_request.",
    }),
  }),
}).meta({ id: "Error" });

export type ErrorBody = z.infer<typeof ErrorSchema>;

/** An OpenAPI response entry with the error body; used as `404: errorResponse("...")`. */
export function errorResponse(description: string) {
  return { description, content: { "application/json": { schema: ErrorSchema } } };
}

/** Route response entries; used as `400: badRequestResponse` (a spread loses their types). */
export const badRequestResponse = errorResponse("A parameter is invalid; `field` names it.");
export const notFoundResponse = errorResponse("No such device.");

/** An error body. */
export function errorBody(code: ErrorCode, message: string, field?: string): ErrorBody {
  return { error: field === undefined ? { code, message } : { code, message, field } };
}

/** The body of a 400 naming the parameter at fault. */
export function badRequestBody(field: string, message: string): ErrorBody {
  return errorBody("bad_request", `${field}: ${message}`, field);
}

/** The body of a 404. */
export function notFoundBody(message: string): ErrorBody {
  return errorBody("not_found", message);
}

/** A JSON error response with the code's status, outside a route handler (middleware). */
export function errorResponseOf(
  code: ErrorCode,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(errorBody(code, message)), {
    status: ERROR_STATUS[code],
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}
