import { type Browser, chromium } from "playwright-core";
import { commandExists, type TestPeer, testPeer } from "../test_peer.ts";

/** Debian's Chromium, which the browser tests drive. */
export const CHROMIUM = "/usr/bin/chromium";

/**
 * Whether tests that need a browser run: yes with Debian's Chromium
 * installed, a skip with a one-line notice on a laptop without it, a failure
 * under `CI=true`.
 */
export async function browserPeer(): Promise<TestPeer> {
  return testPeer({
    name: "chromium",
    available: await commandExists(CHROMIUM),
    install: "deno task test:setup:chromium (apt-get install chromium)",
  });
}

/**
 * Launches headless Chromium with the flags that keep it off the network
 * (this machine's only peers are on 127.0.0.1) and a fresh profile.
 * Close it with `await using` or `browser.close()`.
 */
export async function launchChromium(): Promise<Browser & AsyncDisposable> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return Object.assign(browser, { [Symbol.asyncDispose]: () => browser.close() });
}
