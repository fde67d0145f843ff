import { OpenAPIHono } from "@hono/zod-openapi";
import { badRequestBody } from "./errors.ts";

/**
 * A new OpenAPIHono app whose validation failures answer 400 with a body
 * that names the parameter or body field. Every resource sub-app is made
 * with it, since a hook does not pass from the root app to the apps it
 * mounts.
 */
export function createOpenApiApp() {
  return new OpenAPIHono({
    defaultHook: (result, c) => {
      if (result.success) return;
      const issue = result.error.issues[0]!;
      if (issue.code === "unrecognized_keys") {
        const [key] = issue.keys;
        return c.json(badRequestBody(key ?? "body", "is not a field this request takes"), 400);
      }
      const target = result.target === "json" ? "body" : result.target;
      const field = issue.path.map(String).join(".") || target;
      return c.json(badRequestBody(field, issue.message), 400);
    },
  });
}
