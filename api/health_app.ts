import { createRoute, z } from "@hono/zod-openapi";
import { errorBody, errorResponse } from "./errors.ts";
import { createOpenApiApp } from "./openapi_app.ts";
import type { RouteDeps } from "./route_deps.ts";

/** How long the health route waits for the store before it counts as unreachable. */
export const HEALTH_TIMEOUT_MS = 3000;

const health = createRoute({
  method: "get",
  path: "/",
  tags: ["service"],
  summary: "Health: 200 when the store answers, 503 when it cannot be reached",
  description: `Pings the store (a cheap read), waiting at most ${HEALTH_TIMEOUT_MS} ms. ` +
    "Needs no token and is answered whatever the Host header says, for load balancers.",
  security: [],
  responses: {
    200: {
      description: "The service and its store answer.",
      content: {
        "application/json": {
          schema: z.object({ status: z.literal("ok") }).meta({ id: "Health" }),
        },
      },
    },
    503: errorResponse("The store cannot be reached (code `unavailable`); the message says why."),
  },
});

/** `/health`. */
export function createHealthApp(deps: Pick<RouteDeps, "store" | "clock" | "log">) {
  const { store, clock, log } = deps;
  return createOpenApiApp().openapi(health, async (c) => {
    const timeout = new AbortController();
    try {
      await Promise.race([
        store.ping(),
        clock.sleep(HEALTH_TIMEOUT_MS, timeout.signal).then(() => {
          throw new Error(`no answer within ${HEALTH_TIMEOUT_MS} ms`);
        }),
      ]);
      return c.json({ status: "ok" as const }, 200);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      log.warn("health: the store cannot be reached", { error: reason });
      return c.json(errorBody("unavailable", `The store cannot be reached: ${reason}`), 503);
    } finally {
      timeout.abort();
    }
  });
}
