import assert from "node:assert/strict";
import { createDocsApp } from "./docs_app.ts";

Deno.test("GET /docs serves Swagger UI whose assets come from the service itself", async () => {
  const app = createDocsApp({ specUrl: "/openapi.json" });
  const page = await app.request("/");
  assert.equal(page.status, 200);
  const html = await page.text();
  const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
  assert.deepEqual(sources, [
    "/docs/swagger-ui.css",
    "/docs/swagger-ui-bundle.js",
    "/docs/init.js",
  ]);
  assert.ok(!/https?:\/\//.test(html), "no external URL in the page");
  const css = await app.request("/swagger-ui.css");
  assert.match(css.headers.get("content-type")!, /text\/css/);
  assert.ok((await css.text()).includes(".swagger-ui"));
  const js = await app.request("/swagger-ui-bundle.js");
  assert.match(js.headers.get("content-type")!, /javascript/);
  assert.ok((await js.text()).includes("SwaggerUIBundle"));
  const init = await (await app.request("/init.js")).text();
  assert.match(init, /url: "\/openapi\.json"/);
});
