import type { OpenAPIHono } from "@hono/zod-openapi";

type Operation = {
  security?: unknown[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
};

const WRITE_METHODS = ["post", "put", "patch", "delete"];

const error = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});

/**
 * The service's OpenAPI 3.1 document: the routes' own, plus what every
 * route shares and no route declares: the bearer scheme (Swagger UI's
 * Authorize button), the token's 401 on every route that needs it, the 403
 * of writes, the 413 and 415 of bodies, and the 500. 405 (`Allow` lists the
 * methods) and 414 / 431 (URL or headers too large) can come from any path
 * and are described with the error codes.
 */
export function openApiDocument(
  // deno-lint-ignore no-explicit-any
  app: OpenAPIHono<any, any, any>,
  options: { version: string },
): Record<string, unknown> {
  const document = app.getOpenAPI31Document({
    openapi: "3.1.0",
    info: {
      title: "Device monitor API",
      version: options.version,
      description: "Readings, stress predictions and alerts of your own machines. The API is " +
        "under `/v1`; the replaced system's routes (`/devices/...`) keep their old shapes and " +
        "are deprecated.\n\nWith `API_TOKEN` set, every route but `/health`, `/docs` and " +
        "`/openapi.json` needs `Authorization: Bearer <API_TOKEN>`: press **Authorize**. " +
        "Errors are JSON with a stable `code` (see the Error schema).",
    },
    security: [{ bearer: [] }],
    tags: [
      { name: "devices" },
      { name: "readings" },
      { name: "alerts" },
      { name: "service" },
      { name: "old routes", description: "The replaced system's routes, for its clients." },
    ],
  }) as unknown as {
    paths: Record<string, Record<string, Operation>>;
    components?: Record<string, Record<string, unknown>>;
  };
  document.components ??= {};
  document.components.securitySchemes = {
    bearer: {
      type: "http",
      scheme: "bearer",
      description: "The service's API_TOKEN.",
    },
  };
  for (const operations of Object.values(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const responses = operation.responses;
      if (!(Array.isArray(operation.security) && operation.security.length === 0)) {
        responses["401"] ??= error(
          "No or a wrong bearer token (code `unauthorized`), when API_TOKEN is set.",
        );
      }
      if (WRITE_METHODS.includes(method)) {
        responses["403"] ??= error(
          "A write refused (code `forbidden`): sent by a page of another site, or no API_TOKEN " +
            "is set while the service listens beyond loopback.",
        );
      }
      if (operation.requestBody !== undefined) {
        responses["413"] ??= error("The body is too large (code `payload_too_large`).");
        responses["415"] ??= error("The body is not JSON (code `unsupported_media_type`).");
      }
      responses["500"] ??= error("A bug (code `internal`): see the service log.");
    }
  }
  return document as unknown as Record<string, unknown>;
}
