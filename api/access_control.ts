import type { MiddlewareHandler } from "hono";
import { sameBytes } from "./cursor_signer.ts";
import { errorResponseOf } from "./errors.ts";

/** Host names that reach this machine only. */
export const LOOPBACK_HOSTS = ["localhost", "127.0.0.1", "[::1]"] as const;

/** A Host rule: a name (any port), or a name and port. `*` accepts any Host. */
export type AllowedHosts = "*" | readonly string[];

/** Who may call what. Every field has the safe default. */
export interface AccessOptions {
  /** With a token, every route but the public ones needs `Authorization: Bearer <token>`. */
  apiToken?: string;
  /**
   * True when the service listens on loopback addresses only. Then, without
   * a token, writes are allowed (from this machine, and never from a page of
   * another site); otherwise writes need the token. Default true: only the
   * entry points know where they listen, and they refuse to listen beyond
   * loopback without a token.
   */
  loopbackOnly?: boolean;
  /** Host headers answered; default the loopback names (see `defaultAllowedHosts()`). */
  allowedHosts?: AllowedHosts;
  /** Origins whose pages may call the API (CORS); they may also write. */
  corsOrigins?: readonly string[];
  /** Answer the old routes (`/devices/...`) without the token, for clients that cannot send it. */
  legacyRoutesPublic?: boolean;
}

/** Which requests need no token: the health route, the docs, the bot's webhook, the page's shell. */
export type PublicRequest = (method: string, path: string) => boolean;

/**
 * The allowed hosts when `ALLOWED_HOSTS` is not set: the loopback names and
 * the address listened on. Listening on every interface (`0.0.0.0`, `::`),
 * any Host is answered: the token is required there, so a page that rebinds
 * a name to this machine still cannot read anything.
 */
export function defaultAllowedHosts(listenHost: string): AllowedHosts {
  if (listenHost === "0.0.0.0" || listenHost === "::") return "*";
  const own = listenHost.includes(":") ? `[${listenHost}]` : listenHost;
  return [...new Set<string>([...LOOPBACK_HOSTS, own.toLowerCase()])];
}

/** True for an address or name that reaches this machine only. */
export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
}

/** True when `host` (the URL's host: name and maybe port) is allowed. */
export function hostAllowed(allowed: AllowedHosts, host: string): boolean {
  if (allowed === "*") return true;
  const name = host.toLowerCase().replace(/:\d+$/, "");
  return allowed.some((rule) => rule === host.toLowerCase() || rule === name);
}

const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * The Host check (against DNS rebinding), the bearer token (compared in
 * constant time), and the write rules:
 *
 * - a Host not allowed: 400 `host_not_allowed` (the health route excepted,
 *   for load balancers that probe by address);
 * - with a token: every request that `isPublic` does not name needs it
 *   (401 `unauthorized`, with `WWW-Authenticate: Bearer`);
 * - without one: reads are open, writes only when listening on loopback
 *   (403 `forbidden` saying to set API_TOKEN otherwise);
 * - a write sent by a page of another site (an `Origin` that is neither
 *   this host nor in CORS_ORIGINS) is 403 `forbidden`, token or not.
 */
export function accessControl(options: AccessOptions, isPublic: PublicRequest): MiddlewareHandler {
  const allowed = options.allowedHosts ?? defaultAllowedHosts("127.0.0.1");
  const loopbackOnly = options.loopbackOnly ?? true;
  const corsOrigins = new Set(options.corsOrigins ?? []);
  const expected = options.apiToken === undefined ? null : digest(options.apiToken);
  return async (c, next) => {
    const url = new URL(c.req.url);
    const method = c.req.method;
    if (!hostAllowed(allowed, url.host) && url.pathname !== "/health") {
      return errorResponseOf(
        "host_not_allowed",
        `Host '${url.host}' is not one this service answers to: add it to ALLOWED_HOSTS`,
      );
    }
    const write = WRITES.has(method);
    if (write && !url.pathname.startsWith("/telegram/")) {
      const origin = c.req.header("origin");
      if (origin !== undefined && !sameOrigin(origin, url) && !corsOrigins.has(origin)) {
        return errorResponseOf(
          "forbidden",
          `A write from a page of ${origin} is refused: only this service's own pages and ` +
            "CORS_ORIGINS may write",
        );
      }
    }
    if (isPublic(method, url.pathname)) return await next();
    if (expected !== null) {
      const given = /^Bearer +(\S+) *$/i.exec(c.req.header("authorization") ?? "")?.[1];
      if (given === undefined || !sameBytes(await digest(given), await expected)) {
        return errorResponseOf(
          "unauthorized",
          given === undefined
            ? "This route needs the token: send Authorization: Bearer <API_TOKEN>"
            : "The bearer token is not the service's API_TOKEN",
          { "www-authenticate": 'Bearer realm="stresswatch"' },
        );
      }
    } else if (write && !loopbackOnly) {
      return errorResponseOf(
        "forbidden",
        "Writes need a token when the service listens beyond this machine: set API_TOKEN " +
          "(e.g. API_TOKEN=$(openssl rand -hex 24)) and send Authorization: Bearer <API_TOKEN>",
      );
    }
    return await next();
  };
}

/** SHA-256 of the text: equal-length values to compare in constant time. */
async function digest(text: string): Promise<Uint8Array> {
  return new Uint8Array(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)),
  );
}

function sameOrigin(origin: string, url: URL): boolean {
  try {
    return new URL(origin).host === url.host;
  } catch {
    return false; // "null" or garbage: not this service's page
  }
}
