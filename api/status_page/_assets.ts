import css from "./status_page.css" with { type: "text" };
import icon from "./icon.svg" with { type: "text" };
import js from "./status_page.js" with { type: "text" };

/** A static file of the page, served from the module graph (no file read at run time). */
export interface Asset {
  /** Path under the page's asset folder. */
  name: string;
  body: string;
  contentType: string;
  /** Changes with the content: the page links `name?v=<version>`, cached for a year. */
  version: string;
}

function asset(name: string, body: string, contentType: string): Asset {
  return { name, body, contentType, version: fnv1a(body) };
}

/** The stylesheet, the script and the icon of the status page. */
export const ASSETS = {
  css: asset("status_page.css", css, "text/css; charset=utf-8"),
  js: asset("status_page.js", js, "text/javascript; charset=utf-8"),
  icon: asset("icon.svg", icon, "image/svg+xml"),
} as const;

/** FNV-1a, 32 bits, as 8 hex digits: a short content version, not a security hash. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, "0");
}
