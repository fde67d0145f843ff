import { OpenAPIHono } from "@hono/zod-openapi";
import { badRequestBody } from "./errors.ts";

/**
 * A new OpenAPIHono app whose validation failures answer 400 with a body
 * that names the parameter. Every resource sub-app is made with it, since a
 * hook does not pass from the root app to the apps it mounts.
 */
export function createOpenApiApp() {
  return new OpenAPIHono({
    defaultHook: (result, c) => {
      if (result.success) return;
      const issue = result.error.issues[0]!;
      const field = issue.path.map(String).join(".") || result.target;
      return c.json(badRequestBody(field, issue.message), 400);
    },
  });
}
