import type { MiddlewareHandler } from "hono";
import { errorResponseOf } from "./errors.ts";

/** The longest URL the service reads, bytes; longer is a 414. */
export const MAX_URL_BYTES = 8 * 1024;
/** The most bytes of request headers (names and values) the service reads; more is a 431. */
export const MAX_HEADER_BYTES = 32 * 1024;

/**
 * The content security policy of every HTML page (Swagger UI, the status
 * page): scripts, styles, fonts and requests from this service only, no
 * inline script or style, no framing. Images may be `data:` URLs (Swagger
 * UI's icons). Swagger UI works under it (its browser test listens for
 * violations). A page that needs more sets its own Content-Security-Policy
 * header, which is kept.
 */
export const HTML_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/**
 * A URL or headers too large for the service get the JSON error body (414,
 * 431). Deno answers a bare 400 by itself before the app sees the request
 * for heads beyond its own limits (about 100 KiB or 100 headers, measured
 * with Deno 2.9.6), so those never reach here.
 */
export function requestHeadLimits(): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.url.length > MAX_URL_BYTES) {
      return errorResponseOf(
        "uri_too_long",
        `The URL is ${c.req.url.length} bytes long, at most ${MAX_URL_BYTES} are read`,
      );
    }
    let bytes = 0;
    c.req.raw.headers.forEach((value, name) => (bytes += name.length + value.length));
    if (bytes > MAX_HEADER_BYTES) {
      return errorResponseOf(
        "headers_too_large",
        `The request headers are ${bytes} bytes, at most ${MAX_HEADER_BYTES} are read`,
      );
    }
    return await next();
  };
}

/**
 * `X-Content-Type-Options: nosniff` on every response; on HTML pages also
 * {@linkcode HTML_CSP}, `X-Frame-Options: DENY` and `Referrer-Policy: no-referrer`.
 */
export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const headers = c.res.headers;
    headers.set("x-content-type-options", "nosniff");
    if (/^text\/html/i.test(headers.get("content-type") ?? "")) {
      if (!headers.has("content-security-policy")) headers.set("content-security-policy", HTML_CSP);
      headers.set("x-frame-options", "DENY");
      headers.set("referrer-policy", "no-referrer");
    }
  };
}

/** A route as Hono lists it (`app.routes`). */
export interface RouteEntry {
  method: string;
  path: string;
}

/**
 * The methods some route answers at `path` (middleware, listed as `ALL`,
 * does not count), with HEAD beside GET as Hono answers it; empty when no
 * route has the path. For 405 and its `Allow` header.
 */
export function allowedMethods(routes: readonly RouteEntry[], path: string): string[] {
  const methods = new Set<string>();
  for (const route of routes) {
    if (route.method === "ALL" || !patternOf(route.path).test(path)) continue;
    methods.add(route.method);
    if (route.method === "GET") methods.add("HEAD");
  }
  return [...methods].sort();
}

const patterns = new Map<string, RegExp>();

/** A Hono route path (`/v1/devices/:id`, `/docs/*`) as a regular expression. */
function patternOf(path: string): RegExp {
  let pattern = patterns.get(path);
  if (!pattern) {
    const source = path.split("/").map((segment) => {
      if (segment === "*") return ".*";
      if (segment.startsWith(":")) return "[^/]+";
      return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    }).join("/");
    pattern = new RegExp(`^${source}$`);
    patterns.set(path, pattern);
  }
  return pattern;
}
