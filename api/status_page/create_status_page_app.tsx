import { Hono } from "hono";
import { timingSafeEqual } from "hono/utils/buffer";
import type { Clock } from "../../shared/clock.ts";
import { type Asset, ASSETS } from "./_assets.ts";
import { PageShell } from "./page_shell.tsx";
import { createRecentSeriesCache } from "./recent_series_cache.ts";
import { readStatusSnapshot, type SnapshotStore } from "./status_snapshot.ts";
import { StatusView } from "./status_view.tsx";

export interface StatusPageDeps {
  /** Read only: a page of devices, their newest readings and the last hour, alerts, verdicts. */
  store: SnapshotStore;
  /**
   * `API_TOKEN`: with it, the view route needs `Authorization: Bearer <token>`
   * and the page asks for the token. Without it (null or absent) the page
   * shows the view at once.
   */
  apiToken?: string | null;
  /** IANA time zone of the page's times and chart axes (`TZ`). Default UTC. */
  timeZone?: string;
  /** Per-device hot limits, °C (`HOT_LIMITS`); the others get their profile's default. */
  hotLimits?: Readonly<Record<string, number>>;
  /** Devices shown, by name, 1 to 200. Default 50; the page says when there are more. */
  maxDevices?: number;
  /** Newest alerts listed, 1 to 100. Default 20. */
  maxAlerts?: number;
  /** Seconds between the page's refreshes, 5 to 300. Default 15. */
  refreshS?: number;
  /** Where the API's Swagger page is. Default `/docs`. */
  docsUrl?: string;
  clock?: Pick<Clock, "now">;
}

export const STATUS_PAGE_DEFAULTS = {
  timeZone: "UTC",
  maxDevices: 50,
  maxAlerts: 20,
  refreshS: 15,
  docsUrl: "/docs",
  /** The charts' period: the last hour, one point per reading. */
  chartSpanMs: 60 * 60_000,
} as const;

/**
 * The routes, as mounted at `/`: the page and its assets are public (they
 * hold no data); the view route carries the data.
 */
export const STATUS_PAGE_ROUTES = {
  page: "/",
  view: "/status-page/view",
  assets: "/status-page/",
} as const;

/**
 * The status page, a sub-app to mount at `/`: one tile per device (state in
 * colour, stress probability, temperature against its hot limit, a chart of
 * the last hour with the limit drawn) and the newest alerts with their
 * verdicts, refreshed by the page every `refreshS` seconds. Server-rendered
 * with Hono's JSX; no CDN, no inline script or style.
 */
export function createStatusPageApp(deps: StatusPageDeps) {
  const options = checkOptions(deps);
  const { store, apiToken, timeZone, docsUrl } = options;
  const clock = deps.clock ?? { now: () => Date.now() };
  const seriesCache = createRecentSeriesCache(store);
  const assetUrl = (asset: Asset) => `${STATUS_PAGE_ROUTES.assets}${asset.name}?v=${asset.version}`;

  const view = async () => {
    const snapshot = await readStatusSnapshot(store, {
      now: clock.now(),
      maxDevices: options.maxDevices,
      maxAlerts: options.maxAlerts,
      chartSpanMs: STATUS_PAGE_DEFAULTS.chartSpanMs,
      seriesCache,
      hotLimits: options.hotLimits,
    });
    return <StatusView snapshot={snapshot} timeZone={timeZone} docsUrl={docsUrl} />;
  };

  const app = new Hono();
  // The page holds no data, token or not: whatever guards the view route guards the data.
  app.get(STATUS_PAGE_ROUTES.page, async (c) => {
    const page = (
      <PageShell
        assets={{ css: assetUrl(ASSETS.css), js: assetUrl(ASSETS.js), icon: assetUrl(ASSETS.icon) }}
        viewUrl={STATUS_PAGE_ROUTES.view}
        tokenRequired={apiToken !== null}
        refreshMs={options.refreshS * 1000}
        docsUrl={docsUrl}
      />
    );
    return c.html(`<!doctype html>${await page}`, 200, { "cache-control": "no-cache" });
  });
  app.get(STATUS_PAGE_ROUTES.view, async (c) => {
    if (apiToken !== null && !(await bearerMatches(c.req.header("authorization"), apiToken))) {
      return c.json(
        {
          error: {
            code: "unauthorized",
            message: "This route needs the API token: send 'Authorization: Bearer <API_TOKEN>'",
          },
        },
        401,
        { "www-authenticate": 'Bearer realm="stresswatch"', "cache-control": "no-store" },
      );
    }
    return c.html(String(await view()), 200, { "cache-control": "no-store" });
  });
  for (const asset of Object.values(ASSETS)) {
    app.get(`${STATUS_PAGE_ROUTES.assets}${asset.name}`, (c) =>
      c.body(asset.body, 200, {
        "content-type": asset.contentType,
        "cache-control": c.req.query("v") === asset.version
          ? "public, max-age=31536000, immutable"
          : "no-cache",
      }));
  }
  return app;
}

/** Whether an Authorization header carries `token`, compared in constant time. */
async function bearerMatches(header: string | undefined, token: string): Promise<boolean> {
  const match = /^Bearer +(\S+) *$/i.exec(header ?? "");
  return match !== null && await timingSafeEqual(match[1]!, token);
}

type CheckedOptions = Required<Omit<StatusPageDeps, "clock" | "apiToken">> & {
  apiToken: string | null;
};

function checkOptions(deps: StatusPageDeps): CheckedOptions {
  const what = "Cannot build the status page";
  const options = {
    store: deps.store,
    apiToken: deps.apiToken ?? null,
    timeZone: deps.timeZone ?? STATUS_PAGE_DEFAULTS.timeZone,
    hotLimits: deps.hotLimits ?? {},
    maxDevices: deps.maxDevices ?? STATUS_PAGE_DEFAULTS.maxDevices,
    maxAlerts: deps.maxAlerts ?? STATUS_PAGE_DEFAULTS.maxAlerts,
    refreshS: deps.refreshS ?? STATUS_PAGE_DEFAULTS.refreshS,
    docsUrl: deps.docsUrl ?? STATUS_PAGE_DEFAULTS.docsUrl,
  };
  if (options.apiToken !== null && options.apiToken.trim() === "") {
    throw new RangeError(`${what}: 'apiToken' is empty; pass null for no token`);
  }
  try {
    new Intl.DateTimeFormat("en", { timeZone: options.timeZone });
  } catch {
    throw new RangeError(
      `${what}: 'timeZone' must be an IANA time zone such as Europe/Berlin, got '${options.timeZone}'`,
    );
  }
  for (
    const [name, low, high] of [
      ["maxDevices", 1, 200],
      ["maxAlerts", 1, 100],
      ["refreshS", 5, 300],
    ] as const
  ) {
    const value = options[name];
    if (!Number.isInteger(value) || value < low || value > high) {
      throw new RangeError(
        `${what}: '${name}' must be a whole number from ${low} to ${high}, got ${value}`,
      );
    }
  }
  for (const [device, limit] of Object.entries(options.hotLimits)) {
    if (!Number.isFinite(limit)) {
      throw new RangeError(`${what}: the hot limit of '${device}' must be a number, got ${limit}`);
    }
  }
  return options;
}
