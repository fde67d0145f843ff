import assert from "node:assert/strict";

/**
 * The status page runs inside the service on Deno Deploy: its stylesheet,
 * script and icon come through the module graph (text imports), never from
 * a file read at run time. Checked by rendering the page and its assets in a
 * process with no permission at all.
 */
const root = new URL("../../", import.meta.url);
const app = new URL("./create_status_page_app.tsx", import.meta.url);
const decoder = new TextDecoder();

async function deno(args: string[]) {
  const { success, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  return { success, stdout: decoder.decode(stdout), stderr: decoder.decode(stderr) };
}

/** A script that serves the page and its assets from an in-memory store and prints what it got. */
function probeSource(body = ""): string {
  return `import { createStatusPageApp } from ${JSON.stringify(app.href)};
import { createKvStore } from ${JSON.stringify(new URL("shared/store/kv_store.ts", root).href)};
${body}
const store = createKvStore({ kv: await Deno.openKv(":memory:") });
const page = createStatusPageApp({ store, timeZone: "Europe/Berlin" });
const html = await (await page.request("/")).text();
const view = await (await page.request("/status-page/view")).text();
const assets = [...html.matchAll(/(\\/status-page\\/[\\w.]+)\\?v=/g)].map((m) => m[1]);
const sizes = {};
for (const path of assets) sizes[path] = (await (await page.request(path)).text()).length;
await store.close();
console.log(JSON.stringify({ page: html.length, view: view.length, sizes }));
`;
}

Deno.test("the status page and its assets render with no permissions (nothing read from files at run time)", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "status-page-deploy-" });
  try {
    const config = ["--config", new URL("deno.json", root).pathname];
    await t.step("the page, its view, stylesheet, script and icon", async () => {
      const probe = `${dir}/probe.ts`;
      await Deno.writeTextFile(probe, probeSource());
      const run = await deno(["run", "--no-prompt", ...config, probe]);
      assert.ok(run.success, run.stderr);
      const { page, view, sizes } = JSON.parse(run.stdout);
      assert.ok(page > 500, `${page} characters of page`);
      assert.ok(view > 100, `${view} characters of view`);
      assert.deepEqual(Object.keys(sizes).sort(), [
        "/status-page/icon.svg",
        "/status-page/status_page.css",
        "/status-page/status_page.js",
      ]);
      for (const [path, size] of Object.entries(sizes)) assert.ok(Number(size) > 100, path);
    });
    await t.step("the same run refuses a file read (the check can fail)", async () => {
      const reader = `${dir}/reader.ts`;
      await Deno.writeTextFile(
        reader,
        probeSource(
          `await Deno.readTextFile(${
            JSON.stringify(new URL("status_page.css", import.meta.url).pathname)
          });`,
        ),
      );
      const run = await deno(["run", "--no-prompt", ...config, reader]);
      assert.equal(run.success, false);
      assert.match(run.stderr, /NotCapable|Requires read access/);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
