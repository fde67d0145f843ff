import { Hono } from "hono";
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { fillFleet } from "../../testing/a_fleet.ts";
import { aScored } from "../../testing/a_prediction.ts";
import { aPcReading } from "../../testing/a_reading.ts";
import { aStoreWith } from "../../testing/a_store.ts";
import { browserPeer, launchChromium } from "../../testing/browser/launch_chromium.ts";
import type { Store } from "../../shared/store/store.ts";
import { createStatusPageApp, type StatusPageDeps } from "./create_status_page_app.tsx";

const { ignore } = await browserPeer();

/** The service's time at the start of each test; the page keeps its own clock. */
const NOW = Date.parse("2026-01-31T12:00:00.000Z");

/** Screenshots kept for CI's artefacts (`.cache/` is uploaded by the test workflow). */
const CACHE = new URL("../../.cache/", import.meta.url);

/**
 * The strictest policy the page must live with: its own scripts, styles and
 * images only, no inline script or style, no other host.
 */
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " +
  "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/**
 * The status page mounted at `/` as the service mounts it, behind a strict
 * CSP, on a free port of 127.0.0.1, over a store filled by the test whose
 * clock the test moves.
 */
async function aServedPage(
  deps: Partial<StatusPageDeps> = {},
  options: { serviceToken?: string } = {},
) {
  const store = await aStoreWith();
  let now = NOW;
  await fillFleet(store, now);
  const root = new Hono()
    .use(async (c, next) => {
      await next();
      c.header("content-security-policy", CSP);
    })
    .use("/status-page/view", async (c, next) => {
      // The service's own auth in front of the page, as the API's middleware may be.
      const wanted = options.serviceToken;
      if (wanted && c.req.header("authorization") !== `Bearer ${wanted}`) {
        return c.json({ error: { code: "unauthorized", message: "token needed" } }, 401);
      }
      return await next();
    })
    .route("/", createStatusPageApp({ store, clock: { now: () => now }, ...deps }));
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, root.fetch);
  const browser = await launchChromium();
  return {
    url: `http://127.0.0.1:${server.addr.port}/`,
    store: store as Store,
    browser,
    get now() {
      return now;
    },
    /** Moves the service's clock on. */
    advance(ms: number) {
      now += ms;
    },
    async [Symbol.asyncDispose]() {
      await browser.close();
      await server.shutdown();
      await store.close();
    },
  };
}

/**
 * A page that refuses every request leaving 127.0.0.1 and records them, with
 * script errors and CSP violations collected.
 */
async function watchedPage(page: Page) {
  const outside: string[] = [];
  const problems: string[] = [];
  await page.route("**/*", (route) => {
    if (new URL(route.request().url()).hostname === "127.0.0.1") return route.continue();
    outside.push(route.request().url());
    return route.abort();
  });
  page.on("pageerror", (error) => problems.push(`script error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" && !/status of 401/.test(message.text())) {
      problems.push(`console: ${message.text()}`);
    }
  });
  return { page, outside, problems };
}

const tile = (page: Page, device: string) => page.locator(`.tile[data-key="device:${device}"]`);

/** The points of a tile's chart line as the browser holds it, and the drawn line's width. */
async function chartLine(page: Page, device: string) {
  const path = tile(page, device).locator("path.series-line");
  const d = await path.getAttribute("d") ?? "";
  return {
    points: (d.match(/[ML]/g) ?? []).length,
    width: (await path.boundingBox())?.width ?? 0,
  };
}

Deno.test({
  name: "the status page in Chromium: tiles and charts from the store, refreshed in place",
  ignore,
  async fn() {
    await using served = await aServedPage({ timeZone: "Europe/Berlin" });
    const { page, outside, problems } = await watchedPage(
      await served.browser.newPage({ viewport: { width: 1280, height: 900 } }),
    );
    await page.clock.install();
    await page.goto(served.url);
    // The shell loads first; the page's script then fetches the tiles.
    await tile(page, "raspberry").waitFor();

    const names = await page.locator(".tile .device-name").allInnerTexts();
    assert.deepEqual(names, ["laptop", "old-nas", "pc1", "raspberry"]);
    assert.ok(await page.locator("#login").isHidden(), "no login without a token");
    assert.match(await tile(page, "pc1").locator(".state").innerText(), /stressed soon/);
    assert.match(await tile(page, "laptop").locator(".state").innerText(), /offline/);

    const line = await chartLine(page, "pc1");
    // Readings every 15 s from 11:10:10 to 11:59:55: 100 steps of 30 s, then the newest reading.
    assert.equal(line.points, 101);
    assert.equal(await tile(page, "pc1").locator("svg .latest").textContent(), "83.9 °C");
    assert.ok(line.width > 200, `the line is drawn (${line.width} px wide)`);
    const limit = await tile(page, "pc1").locator(".hot-limit line").boundingBox();
    assert.ok(limit && limit.width > 200, "the hot limit is drawn across the chart");
    await page.screenshot({ path: new URL("status-page.png", CACHE).pathname, fullPage: true });

    // New readings while the page is open: pc1 crosses its limit, pc2 appears.
    await page.evaluate(() => Object.assign(globalThis, { loadedOnce: true }));
    const at = new Date(served.now + 10_000).toISOString();
    await served.store.saveScored([
      aScored(aPcReading({ device: "pc1", timestamp: at, TemperatureCPUPackage: 91.4 }), {
        probability: 0.99,
        stressed_now: true,
        stressed_soon: true,
      }),
      aScored(aPcReading({ device: "pc2", timestamp: at, TemperatureCPUPackage: 40 })),
    ]);
    served.advance(15_000);
    await page.clock.runFor(15_000);
    await tile(page, "pc2").waitFor({ timeout: 10_000 });
    assert.equal(
      await tile(page, "pc1").locator(".temperature .value").innerText(),
      "91.4 °C",
    );
    assert.match(await tile(page, "pc1").locator(".state").innerText(), /stressed now/);
    assert.equal(await tile(page, "pc1").locator("svg .latest").textContent(), "91.4 °C");
    assert.equal(
      await page.evaluate(() => (globalThis as { loadedOnce?: boolean }).loadedOnce),
      true,
      "the same page, not a reload",
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(outside, [], "the page asks nothing of the internet");
  },
});

Deno.test({
  name: "the status page on a phone screen: one column, nothing wider than the screen",
  ignore,
  async fn() {
    await using served = await aServedPage();
    const { page, outside, problems } = await watchedPage(
      await served.browser.newPage({
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
      }),
    );
    await page.goto(served.url);
    await tile(page, "raspberry").waitFor();
    const tiles = page.locator(".tile");
    assert.equal(await tiles.count(), 4);
    const boxes = await Promise.all((await tiles.all()).map((t) => t.boundingBox()));
    assert.equal(new Set(boxes.map((box) => Math.round(box!.x))).size, 1, "stacked");
    for (const box of boxes) assert.ok(box!.x >= 0 && box!.x + box!.width <= 390, "on screen");
    const chart = await tile(page, "pc1").locator("svg").boundingBox();
    assert.ok(chart && chart.width > 300 && chart.width <= 390, `chart ${chart?.width} px wide`);
    const overflow = await page.evaluate<number>(
      "document.documentElement.scrollWidth - document.documentElement.clientWidth",
    );
    assert.equal(overflow, 0, "no sideways scrolling");
    await page.screenshot({
      path: new URL("status-page-phone.png", CACHE).pathname,
      fullPage: true,
    });
    assert.deepEqual(problems, []);
    assert.deepEqual(outside, []);
  },
});

Deno.test({
  name: "the status page with API_TOKEN: the login field, a refused token, the data after login",
  ignore,
  async fn() {
    await using served = await aServedPage({ apiToken: "s3cret-token" });
    const { page, outside, problems } = await watchedPage(await served.browser.newPage());
    await page.goto(served.url);
    const login = page.locator("#login");
    await login.waitFor();
    assert.equal(await page.locator(".tile").count(), 0, "nothing before the token");

    await page.fill("#token", "not-the-token");
    await page.click("#login button[type=submit]");
    await page.locator("#login-error").waitFor();
    assert.match(await page.locator("#login-error").innerText(), /refused that token/);
    assert.equal(await page.locator(".tile").count(), 0);

    await page.fill("#token", "s3cret-token");
    await page.click("#login button[type=submit]");
    await tile(page, "pc1").waitFor();
    assert.equal(await page.locator(".tile").count(), 4);
    assert.ok(await login.isHidden());
    assert.equal(
      await page.evaluate(() => sessionStorage.getItem("stresswatch.apiToken")),
      "s3cret-token",
    );

    await page.reload();
    await tile(page, "pc1").waitFor();
    assert.ok(await login.isHidden(), "the tab keeps the token across a reload");

    await page.click("#logout");
    await login.waitFor();
    assert.equal(await page.locator(".tile").count(), 0);
    assert.equal(await page.evaluate(() => sessionStorage.getItem("stresswatch.apiToken")), null);
    assert.deepEqual(problems, []);
    assert.deepEqual(outside, []);
  },
});

Deno.test({
  name: "the status page asks for the token when the service's own auth refuses the view",
  ignore,
  async fn() {
    // The page was built without apiToken, but the service in front of it wants one.
    await using served = await aServedPage({}, { serviceToken: "front-token" });
    const { page, outside, problems } = await watchedPage(await served.browser.newPage());
    await page.goto(served.url);
    await page.locator("#login").waitFor();
    assert.ok(await page.locator("#login-error").isHidden(), "asked, not yet refused");
    await page.fill("#token", "front-token");
    await page.click("#login button[type=submit]");
    await tile(page, "pc1").waitFor();
    assert.equal(await page.locator(".tile").count(), 4);
    assert.deepEqual(problems, []);
    assert.deepEqual(outside, []);
  },
});
