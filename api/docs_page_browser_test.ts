import assert from "node:assert/strict";
import { silentLogger } from "../shared/log.ts";
import { aPcReading } from "../testing/a_reading.ts";
import { aStoreWith } from "../testing/a_store.ts";
import { browserPeer, launchChromium } from "../testing/browser/launch_chromium.ts";
import { createApi } from "./create_api.ts";

const { ignore } = await browserPeer();

/**
 * The Swagger page in a real browser, with every request that leaves
 * 127.0.0.1 refused and the service's content security policy on: it must
 * render from the service's own assets, take the API token through its
 * Authorize button and show a device's readings through "Try it out".
 */
Deno.test({
  name: "GET /docs renders Swagger UI offline in Chromium under its CSP; Authorize sends the token",
  ignore,
  async fn() {
    const reading = aPcReading({ device: "my-laptop", TemperatureCPUPackage: 61.5 });
    const apiToken = "docs-page-test-token-0123";
    await using store = await aStoreWith([reading]);
    const server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      createApi({ store, log: silentLogger, access: { apiToken } }).fetch,
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
      page.on("console", (message) => {
        if (/Content Security Policy|Refused to/i.test(message.text())) errors.push(message.text());
      });

      const docs = await page.goto(`${url}/docs`);
      assert.match(docs!.headers()["content-security-policy"]!, /script-src 'self'/);
      const title = page.locator(".swagger-ui .info .title");
      await title.waitFor({ timeout: 15_000 });
      assert.match(await title.innerText(), /Device monitor API/);
      await page.locator(".opblock-deprecated").first().waitFor({ timeout: 15_000 });
      const paths = await page.locator(".opblock-summary-path").allInnerTexts();
      for (
        const path of [
          "/v1/devices",
          "/v1/devices/{id}/readings",
          "/v1/devices/{id}/status",
          "/v1/devices/{id}/history",
          "/v1/alerts",
        ]
      ) {
        assert.ok(paths.some((p) => p.replace(/\u200b/g, "") === path), `${path} listed: ${paths}`);
      }
      const old = await page.locator(".opblock-summary-path__deprecated").allInnerTexts();
      assert.deepEqual(
        old.map((p) => p.replace(/\u200b/g, "")).sort(),
        ["/devices", "/devices/", "/devices/{name}", "/devices/{name}/status"],
        "the old routes show struck through, as deprecated",
      );

      // Authorize: the bearer token, once for every route.
      await page.locator(".auth-wrapper .authorize").click();
      await page.locator(".modal-ux input[type=text], .modal-ux input[type=password]").first()
        .fill(apiToken);
      await page.locator(".modal-ux .auth-btn-wrapper .authorize").click();
      await page.locator(".modal-ux .btn-done").click();

      // Try it out: GET /v1/devices/{id}/readings for the device.
      const operation = page.locator(".opblock-get", {
        has: page.locator('.opblock-summary-path[data-path="/v1/devices/{id}/readings"]'),
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
      assert.deepEqual(errors, [], "no script errors or CSP violations on the page");
    } finally {
      await server.shutdown();
    }
    assert.deepEqual(outside, [], "the page asks nothing of the internet");
  },
});
