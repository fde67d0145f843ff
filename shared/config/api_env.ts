import { z } from "zod";

/** The shortest API_TOKEN accepted: 16 characters (`openssl rand -hex 24` gives 48). */
export const MIN_API_TOKEN_LENGTH = 16;

/** `name`, `name:port`, `[v6]` or `[v6]:port`, as a URL's host. */
const HOST_RULE =
  /^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)(:\d{1,5})?$/;

const list = (text: string) => text.split(",").map((item) => item.trim()).filter(Boolean);

/**
 * Config piece: who may call the service's HTTP API.
 *
 * - `API_TOKEN`: with it, every route but the health route, the docs and the
 *   status page's shell needs `Authorization: Bearer <API_TOKEN>`. Required
 *   to listen beyond loopback.
 * - `ALLOWED_HOSTS`: the Host headers answered (names, `name:port`, or `*`
 *   for any), against DNS rebinding; by default the loopback names and the
 *   address listened on (any, on 0.0.0.0).
 * - `CORS_ORIGINS`: origins (`https://dash.example`) whose pages may call
 *   the API; none by default (CORS off).
 * - `LEGACY_ROUTES_PUBLIC`: answer the replaced system's routes without the
 *   token, for old clients that cannot send it.
 */
export const ApiEnv = z.object({
  API_TOKEN: z.string()
    .min(MIN_API_TOKEN_LENGTH, {
      error: `must be at least ${MIN_API_TOKEN_LENGTH} characters: make one with ` +
        "`openssl rand -hex 24`",
    })
    .regex(/^[\x21-\x7e]+$/, { error: "must be printable ASCII without spaces" })
    .optional(),
  ALLOWED_HOSTS: z.string().transform((text, ctx) => {
    const hosts = list(text.toLowerCase());
    if (hosts.includes("*")) return "*" as const;
    const bad = hosts.filter((host) => !HOST_RULE.test(host));
    if (hosts.length === 0 || bad.length > 0) {
      ctx.addIssue({
        code: "custom",
        message: `must be host names separated by commas (name or name:port, e.g. ` +
          `stresswatch.example.deno.net,127.0.0.1:8000), or * for any` +
          (bad.length > 0 ? `; not: ${bad.join(", ")}` : ""),
      });
      return z.NEVER;
    }
    return hosts;
  }).optional(),
  CORS_ORIGINS: z.string().transform((text, ctx) => {
    const origins = list(text);
    const bad = origins.filter((origin) => {
      try {
        const url = new URL(origin);
        return !/^https?:$/.test(url.protocol) || url.origin !== origin;
      } catch {
        return true;
      }
    });
    if (origins.length === 0 || bad.length > 0) {
      ctx.addIssue({
        code: "custom",
        message: "must be origins separated by commas, like https://dash.example or " +
          `http://localhost:5173 (scheme, host, port; no path)` +
          (bad.length > 0 ? `; not: ${bad.join(", ")}` : ""),
      });
      return z.NEVER;
    }
    return origins;
  }).optional(),
  LEGACY_ROUTES_PUBLIC: z.enum(["true", "false"], { error: "must be true or false" })
    .default("false").transform((value) => value === "true"),
});

export type ApiEnv = z.output<typeof ApiEnv>;
