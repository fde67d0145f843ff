import type { Hono } from "hono";
import type { Logger } from "../shared/log.ts";
import { InvalidCursorError, type Store } from "../shared/store/store.ts";
import { createAlertsApp } from "./alerts_app.ts";
import { createDevicesApp } from "./devices_app.ts";
import { createDocsApp } from "./docs_app.ts";
import { badRequestBody, type ErrorBody } from "./errors.ts";
import { createOpenApiApp } from "./openapi_app.ts";
import { createReadingsApp } from "./readings_app.ts";

export interface ApiDeps {
  store: Store;
  log: Logger;
  /** Shown in the OpenAPI document. */
  version?: string;
  /** The Telegram bot's webhook sub-app (bot/webhook_app.ts), mounted at `/telegram`. */
  telegram?: Hono;
}

export const OPENAPI_PATH = "/openapi.json";

/**
 * The service's HTTP API: one sub-app per resource, one validation hook
 * that answers 400 naming the parameter, one error handler, the OpenAPI
 * document and Swagger UI at /docs.
 */
export function createApi(deps: ApiDeps) {
  const app = createOpenApiApp();

  app.onError((error, c) => {
    if (error instanceof InvalidCursorError) {
      return c.json(badRequestBody("cursor", error.message), 400);
    }
    deps.log.error("request failed", {
      method: c.req.method,
      path: c.req.path,
      error: error.message,
    });
    return c.json(
      {
        error: { code: "internal", message: "Internal error; see the service log" },
      } satisfies ErrorBody,
      500,
    );
  });
  app.notFound((c) =>
    c.json(
      {
        error: { code: "not_found", message: `No route ${c.req.method} ${c.req.path}` },
      } satisfies ErrorBody,
      404,
    )
  );

  app.route("/devices", createDevicesApp(deps));
  app.route("/devices", createReadingsApp(deps));
  app.route("/alerts", createAlertsApp(deps));
  if (deps.telegram) app.route("/telegram", deps.telegram);

  app.doc31(OPENAPI_PATH, {
    openapi: "3.1.0",
    info: {
      title: "Device monitor API",
      version: deps.version ?? "0.1.0",
      description: "Readings, stress predictions and alerts of your own machines.",
    },
  });
  app.route("/docs", createDocsApp({ specUrl: OPENAPI_PATH }));
  app.get("/health", (c) => c.json({ status: "ok" }, 200));
  app.get("/", (c) => c.redirect("/docs"));
  return app;
}
