/**
 * The status page's script: fetches the view (server-rendered HTML) every
 * few seconds and swaps in the parts that changed, keyed by `data-key`, so
 * the page never reloads or flickers. With a token required it shows the
 * login field, keeps the token in this tab's session storage and sends it as
 * `Authorization: Bearer`. Served as a file of its own: no inline script.
 *
 * Plain JavaScript for the browser, not type-checked (`deno check .` would
 * need the DOM library for the whole project); the browser test runs it.
 */

const TOKEN_KEY = "stresswatch.apiToken";
const body = document.body;
const viewUrl = body.dataset.viewUrl ?? "/status-page/view";
/** The page says a token is needed; a 401 says so too (the service's own auth may ask for it). */
let tokenRequired = body.dataset.auth === "bearer";
const refreshMs = Math.max(1000, Number(body.dataset.refreshMs) || 15_000);

const view = /** @type {HTMLElement} */ (document.getElementById("status"));
const notice = /** @type {HTMLElement} */ (document.getElementById("notice"));
const login = /** @type {HTMLFormElement | null} */ (document.getElementById("login"));
const loginError = /** @type {HTMLElement | null} */ (document.getElementById("login-error"));
const logout = /** @type {HTMLButtonElement | null} */ (document.getElementById("logout"));

/** @type {ReturnType<typeof setTimeout> | undefined} */
let timer;
/** The request in flight, so a refresh never overlaps another. */
let loading = false;

/** @returns {string | null} */
function token() {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null; // storage disabled: the login field is asked for each time
  }
}

/** @param {string | null} text */
function say(text) {
  notice.textContent = text ?? "";
  notice.hidden = text === null;
}

/** @param {string | null} error */
function showLogin(error) {
  if (!login || !loginError) return;
  clearTimeout(timer);
  login.hidden = false;
  view.hidden = true;
  if (logout) logout.hidden = true;
  loginError.textContent = error ?? "";
  loginError.hidden = error === null;
  /** @type {HTMLInputElement | null} */ (login.querySelector("input"))?.focus();
}

function hideLogin() {
  if (login) login.hidden = true;
  view.hidden = false;
  if (logout) logout.hidden = token() === null;
}

/**
 * Makes `current`'s children look like `next`'s: a child with a `data-key`
 * that is unchanged stays as it is, a keyed container (`data-keyed`) is
 * synced the same way, anything else is replaced. One DOM update, no reload.
 * @param {Element} current
 * @param {Element} next
 */
function sync(current, next) {
  /** @type {Map<string, Element>} */
  const byKey = new Map();
  for (const child of current.children) {
    const key = child.getAttribute("data-key");
    if (key !== null) byKey.set(key, child);
  }
  const children = [...next.children].map((child) => {
    const key = child.getAttribute("data-key");
    const old = key === null ? undefined : byKey.get(key);
    if (!old) return document.importNode(child, true);
    if (old.isEqualNode(child)) return old;
    if (old.hasAttribute("data-keyed") && child.hasAttribute("data-keyed")) {
      sync(old, child);
      return old;
    }
    return document.importNode(child, true);
  });
  current.replaceChildren(...children);
}

/** @param {string} html */
function show(html) {
  const parsed = new DOMParser().parseFromString(html, "text/html");
  const next = parsed.body.firstElementChild;
  if (!next) throw new Error("the service answered an empty view");
  const current = view.firstElementChild;
  if (current && current.hasAttribute("data-keyed") && next.hasAttribute("data-keyed")) {
    sync(current, next);
  } else {
    view.replaceChildren(document.importNode(next, true));
  }
}

/** @param {Response} response */
async function problem(response) {
  try {
    const body = await response.json();
    return `${response.status}: ${body.error?.message ?? response.statusText}`;
  } catch {
    return `${response.status} ${response.statusText}`;
  }
}

function schedule() {
  clearTimeout(timer);
  if (!document.hidden) timer = setTimeout(refresh, refreshMs);
}

async function refresh() {
  clearTimeout(timer);
  if (loading) return;
  const saved = token();
  if (tokenRequired && saved === null) return showLogin(null);
  loading = true;
  try {
    /** @type {Record<string, string>} */
    const headers = { accept: "text/html" };
    if (saved !== null) headers.authorization = `Bearer ${saved}`;
    const response = await fetch(viewUrl, { headers, cache: "no-store" });
    if (response.status === 401) {
      sessionStorage.removeItem(TOKEN_KEY);
      tokenRequired = true;
      return showLogin(saved === null ? null : "The service refused that token.");
    }
    if (!response.ok) throw new Error(await problem(response));
    show(await response.text());
    hideLogin();
    say(null);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    say(`Could not refresh (${reason}); trying again in ${Math.round(refreshMs / 1000)} s.`);
  } finally {
    loading = false;
  }
  schedule();
}

login?.addEventListener("submit", (event) => {
  event.preventDefault();
  const input = /** @type {HTMLInputElement} */ (login.querySelector("input"));
  const value = input.value.trim();
  if (value === "") return;
  if (!/^[\x21-\x7e]+$/.test(value)) {
    return showLogin("A token is letters, digits and punctuation, without spaces.");
  }
  try {
    sessionStorage.setItem(TOKEN_KEY, value);
  } catch {
    return showLogin("This browser keeps no session storage for this page.");
  }
  input.value = "";
  refresh();
});

logout?.addEventListener("click", () => {
  sessionStorage.removeItem(TOKEN_KEY);
  view.replaceChildren();
  showLogin(null);
});

document.addEventListener("visibilitychange", () => {
  if (document.hidden) clearTimeout(timer);
  else refresh();
});

refresh();
