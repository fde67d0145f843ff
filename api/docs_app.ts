import { Hono } from "hono";
import css from "swagger-ui-dist/swagger-ui.css" with { type: "text" };
import bundle from "swagger-ui-dist/swagger-ui-bundle.js" with { type: "text" };

const page = () =>
  `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Device monitor API</title>
  <link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>`;

const init = (specUrl: string) =>
  `window.ui = SwaggerUIBundle({ url: ${
    JSON.stringify(specUrl)
  }, dom_id: "#swagger-ui", deepLinking: true, tryItOutEnabled: true });`;

/**
 * Swagger UI at `/docs`, with its script and styles served from here (from
 * the swagger-ui-dist package, inlined into the module graph), so the page
 * works with no internet.
 */
export function createDocsApp(options: { specUrl: string }) {
  const longCache = { "cache-control": "public, max-age=86400" };
  return new Hono()
    .get("/", (c) => c.html(page()))
    .get(
      "/swagger-ui.css",
      (c) => c.body(css, 200, { "content-type": "text/css; charset=utf-8", ...longCache }),
    )
    .get(
      "/swagger-ui-bundle.js",
      (c) =>
        c.body(bundle, 200, { "content-type": "text/javascript; charset=utf-8", ...longCache }),
    )
    .get(
      "/init.js",
      (c) =>
        c.body(init(options.specUrl), 200, { "content-type": "text/javascript; charset=utf-8" }),
    );
}
