export interface PageShellProps {
  /** The stylesheet, script and icon, versioned URLs served by the same app. */
  assets: { css: string; js: string; icon: string };
  /** The route the script fetches the view from. */
  viewUrl: string;
  /** The data route needs `Authorization: Bearer`: the page shows a login field. */
  tokenRequired: boolean;
  refreshMs: number;
  docsUrl: string;
}

/**
 * The page at `/`: public, no data of its own (the script loads the view). Its
 * one script and one stylesheet are served by the service (no CDN, no inline
 * script or style, so it runs under a CSP of `'self'`); the script reads its
 * settings from the body's `data-` attributes.
 */
export function PageShell(props: PageShellProps) {
  const { assets } = props;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <title>Stresswatch</title>
        <link rel="icon" href={assets.icon} type="image/svg+xml" />
        <link rel="stylesheet" href={assets.css} />
        <script type="module" src={assets.js}></script>
      </head>
      <body
        data-view-url={props.viewUrl}
        data-auth={props.tokenRequired ? "bearer" : "none"}
        data-refresh-ms={String(props.refreshMs)}
      >
        <header class="top">
          <h1>Stresswatch</h1>
          <nav>
            <a href={props.docsUrl}>API docs</a>
            <button type="button" id="logout" class="link" hidden>Forget token</button>
          </nav>
        </header>
        {/* Shown by the script when the view needs a token: API_TOKEN, or a 401 from the service. */}
        <form id="login" class="login" hidden>
          <label for="token">API token</label>
          <p class="hint">
            This service asks for its{" "}
            <code>API_TOKEN</code>. It is kept in this tab's session storage and sent with each
            refresh.
          </p>
          <div class="login-row">
            <input
              id="token"
              name="token"
              type="password"
              autocomplete="current-password"
              required
            />
            <button type="submit">Show status</button>
          </div>
          <p id="login-error" class="error" role="alert" hidden></p>
        </form>
        <p id="notice" class="notice" role="status" hidden></p>
        <main id="status">
          <p class="loading">Loading…</p>
        </main>
        <noscript>
          <p class="notice">
            This page loads its data with JavaScript, which this browser does not run for it.
          </p>
        </noscript>
      </body>
    </html>
  );
}
