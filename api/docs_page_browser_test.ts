import assert from "node:assert/strict";
import { silentLogger } from "../shared/log.ts";
import { aPcReading } from "../testing/a_reading.ts";
import { aStoreWith } from "../testing/a_store.ts";
import { browserPeer, launchChromium } from "../testing/browser/launch_chromium.ts";
import { createApi } from "./create_api.ts";

const { ignore } = await browserPeer();

/**
 * The Swagger page in a real browser, with every request that leaves
 * 127.0.0.1 refused: it must render from the service's own assets and show
 * a device's readings through "Try it out".
 */
Deno.test({
  name: "GET /docs renders Swagger UI offline in Chromium and shows a device's readings",
  ignore,
  async fn() {
    const reading = aPcReading({ device: "my-laptop", TemperatureCPUPackage: 61.5 });
    await using store = await aStoreWith([reading]);
    const server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      createApi({ store, log: silentLogger }).fetch,
    );
    const url = `http://127.0.0.1:${server.addr.port}`;
    const outside: string[] = [];
    try {
      await using browser = await launchChromium();
      const page = await browser.newPage();
      await page.route("**/*", (route) => {
        const host = new URL(route.request().url()).hostname;
        if (host === "127.0.0.1") return route.continue();
        outside.push(route.request().url());
        return route.abort();
      });
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));

      await page.goto(`${url}/docs`);
      const title = page.locator(".swagger-ui .info .title");
      await title.waitFor({ timeout: 15_000 });
      assert.match(await title.innerText(), /Device monitor API/);
      const paths = await page.locator(".opblock-summary-path").allInnerTexts();
      for (
        const path of ["/devices", "/devices/{id}/readings", "/devices/{id}/status", "/alerts"]
      ) {
        assert.ok(paths.some((p) => p.replace(/\u200b/g, "") === path), `${path} listed: ${paths}`);
      }

      // Try it out: GET /devices/{id}/readings for the device.
      const operation = page.locator(".opblock-get", {
        has: page.locator('.opblock-summary-path[data-path="/devices/{id}/readings"]'),
      });
      await operation.locator(".opblock-summary").click();
      const tryOut = operation.locator("button.try-out__btn");
      await tryOut.waitFor();
      if ((await tryOut.innerText()).includes("Try it out")) await tryOut.click();
      await operation.locator('tr[data-param-name="id"] input').fill("my-laptop");
      await operation.locator("button.execute").click();
      const body = operation.locator(".responses-wrapper .live-responses-table .highlight-code");
      await body.waitFor({ timeout: 15_000 });
      const text = await body.innerText();
      assert.match(text, /"device": "my-laptop"/);
      assert.match(text, new RegExp(reading.uuid));
      assert.deepEqual(errors, [], "no script errors on the page");
    } finally {
      await server.shutdown();
    }
    assert.deepEqual(outside, [], "the page asks nothing of the internet");
  },
});
