import type { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { HTTPException } from "hono/http-exception";
import { type Clock, systemClock } from "../shared/clock.ts";
import type { Logger } from "../shared/log.ts";
import { createMetricsRegistry, type MetricsRegistry } from "../shared/metrics/metrics_registry.ts";
import { InvalidCursorError, type Store } from "../shared/store/store.ts";
import { accessControl, type AccessOptions, type PublicRequest } from "./access_control.ts";
import { createAlertsApp } from "./alerts_app.ts";
import { createCursorSigner } from "./cursor_signer.ts";
import { createDevicesApp } from "./devices_app.ts";
import { createDocsApp } from "./docs_app.ts";
import { badRequestBody, errorBody, errorResponseOf } from "./errors.ts";
import { createHealthApp } from "./health_app.ts";
import { createHistoryApp } from "./history_app.ts";
import { allowedMethods, requestHeadLimits, securityHeaders } from "./http_edges.ts";
import { createLegacyApp } from "./legacy_app.ts";
import { createMetricsApp } from "./metrics_app.ts";
import { createMuteApp } from "./mute_app.ts";
import { openApiDocument } from "./openapi_document.ts";
import { createOpenApiApp } from "./openapi_app.ts";
import { createReadingsApp } from "./readings_app.ts";
import { requestMetrics } from "./request_metrics.ts";
import type { RouteDeps } from "./route_deps.ts";

/** A sub-app another part of the service builds (plain Hono; its routes are not in the OpenAPI document). */
// deno-lint-ignore no-explicit-any
export type SubApp = Hono<any, any, any>;

/** The status page: its app, mounted at `/`, and the paths it serves without the token. */
export interface StatusPage {
  app: SubApp;
  /**
   * GET paths answered without the token even when API_TOKEN is set: the
   * HTML shell and static assets, never data. Exact (`/`) or a prefix
   * ending in `/*` (`/page/assets/*`).
   */
  publicPaths: readonly string[];
}

export interface ApiDeps {
  store: Store;
  log: Logger;
  /** Shown in the OpenAPI document. */
  version?: string;
  clock?: Clock;
  /** Token, Host, write and CORS rules; safe defaults (see {@linkcode AccessOptions}). */
  access?: AccessOptions;
  /**
   * Signs page cursors. Every process serving one deployment needs the same
   * secret (see `cursorSecretOf()`); by default a random one for this process.
   */
  cursorSecret?: string | Uint8Array;
  /** Where request counts and latencies go; `GET /metrics` renders it. Default a new one. */
  metrics?: MetricsRegistry;
  /** Silence after which a device counts as offline, s; default 3 of its sampling intervals. */
  offlineAfterS?: number;
  /** The Telegram bot's webhook app, mounted at `/telegram`; it checks its own secret header. */
  telegram?: SubApp;
  /** The status page, mounted at `/`; without it `/` redirects to `/docs`. */
  statusPage?: StatusPage;
}

export const OPENAPI_PATH = "/openapi.json";
/** Where the resource API lives. */
export const API_PREFIX = "/v1";

/** Bytes a request body may have: the API's JSON bodies are tiny. */
export const MAX_BODY_BYTES = 16 * 1024;
/** Bytes a Telegram update may have. */
export const MAX_TELEGRAM_BODY_BYTES = 1024 * 1024;

/**
 * The service's HTTP app: the resource API under `/v1` (one sub-app per
 * resource), the replaced system's routes at their old paths, health,
 * metrics, the OpenAPI document and Swagger UI, and the bot's webhook and the
 * status page when given. Around them: request metrics, security headers,
 * request size limits, the Host check, the token, CORS when configured, one
 * validation hook (400 naming the parameter), 405 with `Allow`, one error
 * handler, every error a JSON body with a stable `code`.
 */
export function createApi(deps: ApiDeps) {
  const { log } = deps;
  const access = deps.access ?? {};
  const registry = deps.metrics ?? createMetricsRegistry();
  const routeDeps: RouteDeps = {
    store: deps.store,
    clock: deps.clock ?? systemClock,
    cursors: createCursorSigner(deps.cursorSecret ?? crypto.getRandomValues(new Uint8Array(32))),
    log,
    offlineAfterS: deps.offlineAfterS,
  };
  const app = createOpenApiApp();

  app.use("*", requestMetrics(registry));
  app.use("*", securityHeaders());
  app.use("*", requestHeadLimits());
  if (access.corsOrigins?.length) {
    app.use(
      "*",
      cors({
        origin: [...access.corsOrigins],
        allowMethods: ["GET", "HEAD", "POST", "PUT", "DELETE"],
        allowHeaders: ["Authorization", "Content-Type"],
        maxAge: 600,
      }),
    );
  }
  app.use("*", accessControl(access, publicRequests(deps)));
  const tooLarge = (limit: number) => () =>
    errorResponseOf("payload_too_large", `The request body is over ${limit} bytes`);
  const apiBodies = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: tooLarge(MAX_BODY_BYTES) });
  const telegramBodies = bodyLimit({
    maxSize: MAX_TELEGRAM_BODY_BYTES,
    onError: tooLarge(MAX_TELEGRAM_BODY_BYTES),
  });
  app.use(
    "*",
    (c, next) => c.req.path.startsWith("/telegram/") ? telegramBodies(c, next) : apiBodies(c, next),
  );

  app.onError((error, c) => {
    if (error instanceof InvalidCursorError) {
      return c.json(badRequestBody("cursor", error.message), 400);
    }
    if (error instanceof HTTPException && error.status === 415) {
      return c.json(
        errorBody(
          "unsupported_media_type",
          "Send the body as JSON: Content-Type: application/json",
        ),
        415,
      );
    }
    if (error instanceof HTTPException && error.status === 400) {
      return c.json(badRequestBody("body", "is not JSON"), 400);
    }
    log.error("request failed", { method: c.req.method, path: c.req.path, error: error.message });
    return c.json(errorBody("internal", "Internal error; see the service log"), 500);
  });
  app.notFound((c) => {
    const allow = allowedMethods(app.routes, c.req.path);
    if (allow.length > 0) {
      const headers = { allow: [...allow, "OPTIONS"].join(", ") };
      if (c.req.method === "OPTIONS") return c.body(null, 204, headers);
      return errorResponseOf(
        "method_not_allowed",
        `${c.req.method} is not answered at ${c.req.path}; it answers ${allow.join(", ")}`,
        headers,
      );
    }
    const moved = allowedMethods(app.routes, `${API_PREFIX}${c.req.path}`).length > 0;
    return c.json(
      errorBody(
        "not_found",
        `No route ${c.req.method} ${c.req.path}` +
          (moved ? `; the API is under ${API_PREFIX}: ${API_PREFIX}${c.req.path}` : ""),
      ),
      404,
    );
  });

  app.route(`${API_PREFIX}/devices`, createDevicesApp(routeDeps));
  app.route(`${API_PREFIX}/devices`, createMuteApp(routeDeps));
  app.route(`${API_PREFIX}/devices`, createReadingsApp(routeDeps));
  app.route(`${API_PREFIX}/devices`, createHistoryApp(routeDeps));
  app.route(`${API_PREFIX}/alerts`, createAlertsApp(routeDeps));
  app.route("/", createLegacyApp(routeDeps));
  app.route("/health", createHealthApp(routeDeps));
  app.route("/metrics", createMetricsApp(registry));

  let document: unknown;
  app.get(OPENAPI_PATH, (c) => {
    document ??= openApiDocument(app, { version: deps.version ?? "0.1.0" });
    return c.json(document, 200);
  });
  app.route("/docs", createDocsApp({ specUrl: OPENAPI_PATH }));
  if (deps.telegram) app.route("/telegram", deps.telegram);
  if (deps.statusPage) app.route("/", deps.statusPage.app);
  else app.get("/", (c) => c.redirect("/docs"));
  return app;
}

/** The requests answered without the token. */
function publicRequests(deps: ApiDeps): PublicRequest {
  const page = deps.statusPage?.publicPaths ?? [];
  const exact = new Set(page.filter((p) => !p.endsWith("/*")));
  const prefixes = page.filter((p) => p.endsWith("/*")).map((p) => p.slice(0, -1));
  const legacy = deps.access?.legacyRoutesPublic ?? false;
  return (method, path) => {
    if (path === "/telegram" || path.startsWith("/telegram/")) return true;
    if (method !== "GET" && method !== "HEAD") return false;
    if (path === "/health" || path === OPENAPI_PATH) return true;
    if (path === "/docs" || path.startsWith("/docs/")) return true;
    if (!deps.statusPage && path === "/") return true;
    if (legacy && (path === "/devices" || path.startsWith("/devices/"))) return true;
    return exact.has(path) || prefixes.some((prefix) => path.startsWith(prefix));
  };
}
