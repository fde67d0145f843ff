import assert from "node:assert/strict";
import { fillFleet } from "../../testing/a_fleet.ts";
import { aScored } from "../../testing/a_prediction.ts";
import { aPcReading } from "../../testing/a_reading.ts";
import { aStoreWith } from "../../testing/a_store.ts";
import type { PageQuery } from "../../shared/store/store.ts";
import { createStatusPageApp, type StatusPageDeps } from "./create_status_page_app.tsx";

const NOW = Date.parse("2026-01-31T12:00:00.000Z");
const clock = { now: () => NOW };

async function aFleetApp(deps: Partial<StatusPageDeps> = {}) {
  const store = await aStoreWith();
  await fillFleet(store, NOW);
  return Object.assign(createStatusPageApp({ store, clock, ...deps }), {
    [Symbol.asyncDispose]: () => store.close(),
  });
}

/** The `data-key`ed tiles of a page, by device, each as its HTML. */
function tiles(html: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const part of html.split('<article class="tile').slice(1)) {
    const device = /data-key="device:([^"]+)"/.exec(part)?.[1];
    assert.ok(device, "each tile names its device");
    found.set(device, part.slice(0, part.indexOf("</article>")));
  }
  return found;
}

/** The points of the chart's line: one per M or L command of `.series-line`. */
function linePoints(tileHtml: string): number {
  const d = /<path class="series-line" d="([^"]+)"/.exec(tileHtml)?.[1] ?? "";
  return (d.match(/[ML]/g) ?? []).length;
}

Deno.test("GET / without API_TOKEN is the page with no login asked and no data of its own", async () => {
  await using app = await aFleetApp();
  const response = await app.request("/");
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type")!, /^text\/html/);
  const html = await response.text();
  assert.match(html, /^<!doctype html><html lang="en">/);
  assert.match(html, /data-auth="none"/);
  assert.match(html, /data-view-url="\/status-page\/view"/);
  assert.match(html, /<form id="login" class="login" hidden="">/, "the login field stays hidden");
  assert.equal(tiles(html).size, 0);
  assert.doesNotMatch(html, /pc1|raspberry|laptop/);
});

Deno.test("GET /status-page/view shows a tile per device with state, probability, temperature and chart", async () => {
  await using app = await aFleetApp({ timeZone: "Europe/Berlin" });
  const response = await app.request("/status-page/view");
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type")!, /^text\/html/);
  const html = await response.text();

  const byDevice = tiles(html);
  assert.deepEqual([...byDevice.keys()], ["laptop", "old-nas", "pc1", "raspberry"], "by name");
  const pc1 = byDevice.get("pc1")!;
  assert.match(pc1, /tone-soon/);
  assert.match(pc1, />stressed soon</);
  assert.match(pc1, />72 %/);
  assert.match(pc1, />alerts at 50 %</);
  assert.match(pc1, />83\.9 °C</);
  assert.match(pc1, />limit 90 °C</);
  assert.match(pc1, /<time datetime="2026-01-31T11:59:55\.000Z"[^>]*>5 s ago</);
  assert.match(pc1, /<svg [^>]*viewBox="0 0 400 210"/);
  assert.match(pc1, /<g class="hot-limit" data-value="90">/);
  assert.match(pc1, /<g class="alert-mark"/, "its stress alert 3 min ago is marked");
  // 200 readings 15 s apart over the last 50 min (11:10:10 to 11:59:55): two in each of 100
  // 30-s steps, then the newest reading itself.
  assert.equal(linePoints(pc1), 101);
  assert.match(pc1, /times in Europe\/Berlin/);

  const pi = byDevice.get("raspberry")!;
  assert.match(pi, /tone-ok/);
  assert.match(pi, />muted until 14:00:00</, "13:00 UTC in Berlin");
  assert.match(pi, />limit 80 °C</);
  assert.match(byDevice.get("laptop")!, /tone-offline/);
  assert.match(byDevice.get("laptop")!, />20 min ago</);
  assert.match(byDevice.get("old-nas")!, /tone-retired/);
  assert.match(byDevice.get("old-nas")!, />decommissioned</);
  assert.match(html, /4 devices · 1 stressed soon · 1 offline/);
});

Deno.test("GET /status-page/view lists the newest alerts with their verdicts and escapes what they say", async () => {
  await using app = await aFleetApp();
  const html = await (await app.request("/status-page/view")).text();
  const alerts = html.slice(html.indexOf('<ol class="alerts">'));
  const rows = [...alerts.matchAll(/data-key="alert:([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(rows, ["alert-pc1", "alert-laptop", "alert-pi"], "newest first");
  assert.match(alerts, /alert-pc1[\s\S]*?verdict-right">✓ right</);
  assert.match(alerts, /alert-pi[\s\S]*?verdict-none">no verdict</);
  assert.match(
    alerts,
    /laptop went silent &lt;b&gt;20 min&lt;\/b&gt; ago &amp; &lt;script&gt;alert\(1\)&lt;\/script&gt;/,
  );
  assert.doesNotMatch(html, /<script>alert/);
  assert.doesNotMatch(html, /<b>20 min/);
});

Deno.test("GET / needs no inline script or style: one script and one stylesheet, served here and versioned", async () => {
  await using app = await aFleetApp();
  const html = await (await app.request("/")).text();
  const view = await (await app.request("/status-page/view")).text();
  for (const [name, text] of [["page", html], ["view", view]]) {
    assert.doesNotMatch(text, /<script\b(?![^>]*\ssrc=)/, `${name}: no inline script`);
    assert.doesNotMatch(text, /<style\b/, `${name}: no style element`);
    assert.doesNotMatch(
      text,
      /\sstyle="/,
      `${name}: no style attribute (a CSP without 'unsafe-inline')`,
    );
    assert.doesNotMatch(text, /\son[a-z]+="/, `${name}: no inline event handler`);
    assert.doesNotMatch(
      text,
      /https?:\/\/(?!www\.w3\.org\/2000\/svg)/,
      `${name}: nothing from another host`,
    );
  }
  const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]);
  assert.deepEqual(scripts, [
    ' type="module" src="/status-page/status_page.js?v=' + version(html, "js") + '"',
  ]);

  for (
    const [name, type] of [
      ["status_page.css", /^text\/css/],
      ["status_page.js", /^text\/javascript/],
      ["icon.svg", /^image\/svg\+xml/],
    ] as const
  ) {
    const v = new RegExp(`/status-page/${name.replace(".", "\\.")}\\?v=([0-9a-f]{8})`).exec(html)
      ?.[1];
    assert.ok(v, `${name} is linked with a version`);
    const current = await app.request(`/status-page/${name}?v=${v}`);
    assert.equal(current.status, 200, name);
    assert.match(current.headers.get("content-type")!, type);
    assert.match(current.headers.get("cache-control")!, /immutable/);
    assert.ok((await current.text()).length > 100);
    const stale = await app.request(`/status-page/${name}?v=00000000`);
    assert.equal(stale.headers.get("cache-control"), "no-cache", "an old version is not kept");
    await stale.body?.cancel();
  }
});

function version(html: string, ext: string): string {
  return new RegExp(`status_page\\.${ext}\\?v=([0-9a-f]{8})`).exec(html)![1]!;
}

Deno.test("with API_TOKEN the page is a login field and the view needs Authorization: Bearer", async (t) => {
  await using app = await aFleetApp({ apiToken: "s3cret-token" });

  await t.step("GET / shows the login field and no device", async () => {
    const html = await (await app.request("/")).text();
    assert.match(html, /data-auth="bearer"/);
    assert.match(html, /<form id="login"/, "shown by the script at once");
    assert.match(html, /type="password"/);
    assert.equal(tiles(html).size, 0);
    assert.doesNotMatch(html, /pc1|raspberry|laptop/);
  });

  for (
    const [name, header] of [
      ["no Authorization header", undefined],
      ["a wrong token", "Bearer s3cret-tokem"],
      ["the token as Basic", `Basic ${btoa("s3cret-token")}`],
      ["a token that only starts right", "Bearer s3cret-token-and-more"],
    ] as const
  ) {
    await t.step(`GET /status-page/view with ${name}: 401 with a JSON error`, async () => {
      const response = await app.request("/status-page/view", {
        headers: header ? { authorization: header } : {},
      });
      assert.equal(response.status, 401);
      assert.match(response.headers.get("www-authenticate")!, /^Bearer /);
      const body = await response.json();
      assert.equal(body.error.code, "unauthorized");
      assert.match(body.error.message, /Authorization: Bearer/);
    });
  }

  await t.step("GET /status-page/view with the token: the tiles", async () => {
    const response = await app.request("/status-page/view", {
      headers: { authorization: "Bearer s3cret-token" },
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("cache-control"), "no-store");
    const html = await response.text();
    assert.match(html, /^<div class="view" data-keyed="">/);
    assert.equal(tiles(html).size, 4);
  });
});

Deno.test("without API_TOKEN GET /status-page/view answers the tiles to anyone", async () => {
  await using app = await aFleetApp();
  const response = await app.request("/status-page/view");
  assert.equal(response.status, 200);
  assert.equal(tiles(await response.text()).size, 4);
});

Deno.test("GET /status-page/view reads one page of devices and says when there are more", async () => {
  await using store = await aStoreWith();
  await fillFleet(store, NOW);
  const asked: PageQuery[] = [];
  const app = createStatusPageApp({
    store: {
      ...store,
      listDevices: (query) => {
        asked.push(query);
        return store.listDevices(query);
      },
    },
    clock,
    maxDevices: 2,
  });
  const html = await (await app.request("/status-page/view")).text();
  assert.deepEqual([...tiles(html).keys()], ["laptop", "old-nas"]);
  assert.match(html, /Showing the first 2\s+devices by name/);
  assert.match(html, /2\+ devices/);
  assert.deepEqual(asked, [{ limit: 2 }], "one page, never a scan");
});

Deno.test("a refresh of the view asks the store a bounded number of things, and the readings since the last only", async () => {
  await using store = await aStoreWith();
  await fillFleet(store, NOW);
  const calls: string[] = [];
  const counted = new Proxy(store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        calls.push(String(name));
        return value.apply(target, args);
      };
    },
  });
  let now = NOW;
  const app = createStatusPageApp({ store: counted, clock: { now: () => now } });
  const tally = () =>
    Object.fromEntries(
      Object.entries(Object.groupBy(calls, (c) => c)).map(([k, v]) => [k, v!.length]),
    );

  await (await app.request("/status-page/view")).text();
  assert.deepEqual(tally(), {
    listDevices: 1,
    listAlerts: 2, // the newest, and the chart period's for the marks
    listFeedback: 1,
    getStatus: 4,
    listReadings: 4, // each device's last hour, once
  });

  calls.length = 0;
  await store.saveScored([
    aScored(aPcReading({ device: "pc1", timestamp: new Date(NOW + 5_000).toISOString() })),
  ]);
  now += 15_000;
  const html = await (await app.request("/status-page/view")).text();
  assert.match(html, /data-key="device:pc1"[\s\S]*?>55\.0 °C</, "the new reading is shown");
  assert.deepEqual(tally(), {
    listDevices: 1,
    listAlerts: 2,
    listFeedback: 1,
    getStatus: 4,
    listReadings: 1, // pc1's one new reading; the other devices sent nothing
  });
});

Deno.test("GET /status-page/view with an empty store says how to get a first device", async () => {
  await using store = await aStoreWith();
  const app = createStatusPageApp({ store, clock });
  const html = await (await app.request("/status-page/view")).text();
  assert.match(html, /No devices yet/);
  assert.match(html, /No alerts yet/);
  assert.match(html, /0 devices/);
});

Deno.test("GET /status-page/view draws a device's own hot limit from hotLimits", async () => {
  const reading = aPcReading({
    device: "hot-box",
    timestamp: new Date(NOW - 10_000).toISOString(),
    TemperatureCPUPackage: 70,
  });
  await using store = await aStoreWith();
  await store.saveScored([aScored(reading)]);
  const app = createStatusPageApp({ store, clock, hotLimits: { "hot-box": 75 } });
  const tile = tiles(await (await app.request("/status-page/view")).text()).get("hot-box")!;
  assert.match(tile, />limit 75 °C</);
  assert.match(tile, /<g class="hot-limit" data-value="75">/);
  assert.match(tile, /<meter [^>]*max="75"/);
  assert.match(tile, /<circle class="series-point"/, "one reading: a dot");
});

Deno.test("createStatusPageApp() refuses bad options, naming them", async () => {
  await using store = await aStoreWith();
  for (
    const [deps, message] of [
      [{ timeZone: "Mars/Olympus" }, /'timeZone' must be an IANA time zone.*Mars\/Olympus/],
      [{ maxDevices: 0 }, /'maxDevices' must be a whole number from 1 to 200, got 0/],
      [{ maxAlerts: 1.5 }, /'maxAlerts' must be a whole number from 1 to 100, got 1.5/],
      [{ refreshS: 1 }, /'refreshS' must be a whole number from 5 to 300, got 1/],
      [{ apiToken: " " }, /'apiToken' is empty/],
      [{ hotLimits: { pc1: Number.NaN } }, /hot limit of 'pc1' must be a number/],
    ] as const
  ) {
    assert.throws(() => createStatusPageApp({ store, ...deps }), message);
  }
});
