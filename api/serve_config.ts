import { z } from "zod";
import { BotServiceEnv } from "../bot/bot_env.ts";
import { AlertsEnv } from "../shared/config/alerts_env.ts";
import { ApiEnv } from "../shared/config/api_env.ts";
import { AwsEnv } from "../shared/config/aws_env.ts";
import { HttpEnv } from "../shared/config/http_env.ts";
import { LogEnv } from "../shared/config/log_env.ts";
import { composeEnv } from "../shared/config/parse_env.ts";
import { StoreAdapterEnv, StoreEnv } from "../shared/config/store_env.ts";
import { TimeZoneEnv } from "../shared/config/time_zone_env.ts";
import { type AccessOptions, defaultAllowedHosts, isLoopback } from "./access_control.ts";

/** Config piece: what Deno Deploy sets by itself. */
export const DeployEnv = z.object({
  DENO_DEPLOYMENT_ID: z.string().optional().meta({
    description: "Set by Deno Deploy: there, Deno KV without KV_PATH is Deploy's own database.",
  }),
});

/**
 * The service's settings (`deno task serve`, `deno serve api/main.ts`, Deno
 * Deploy): where to listen, the store (Deno KV or DynamoDB), who may call it,
 * logging, the Telegram bot.
 */
export const ServeConfigSchema = composeEnv(
  HttpEnv,
  StoreEnv,
  StoreAdapterEnv,
  AwsEnv,
  ApiEnv,
  DeployEnv,
  LogEnv,
  BotServiceEnv,
  TimeZoneEnv,
  AlertsEnv.pick({ HOT_LIMITS: true }),
);

export type ServeConfig = z.output<typeof ServeConfigSchema>;

/**
 * Why the service must not answer with these settings, or null: without
 * API_TOKEN it serves only on loopback addresses. `listenHost` is the
 * address listened on, or null when it cannot be known (Deno Deploy; a
 * `deno serve` worker that was not told), which counts as the network.
 */
export function apiTokenProblem(
  config: Pick<ApiEnv, "API_TOKEN">,
  listenHost: string | null,
): string | null {
  if (config.API_TOKEN !== undefined) return null;
  if (listenHost !== null && isLoopback(listenHost)) return null;
  const how = "set API_TOKEN to a secret of 16 characters or more (e.g. " +
    "API_TOKEN=$(openssl rand -hex 24)); clients then send Authorization: Bearer <API_TOKEN>";
  return listenHost === null
    ? `API_TOKEN is not set and the service is reachable from the network (Deno Deploy, or ` +
      `deno serve without --host 127.0.0.1): ${how}`
    : `HOST ${listenHost} listens beyond this machine and API_TOKEN is not set: ${how}, or set ` +
      `HOST=127.0.0.1 to serve this machine only`;
}

/** The API's access rules for these settings and the address listened on (null: unknown). */
export function accessOf(config: ApiEnv, listenHost: string | null): AccessOptions {
  return {
    apiToken: config.API_TOKEN,
    loopbackOnly: listenHost !== null && isLoopback(listenHost),
    allowedHosts: config.ALLOWED_HOSTS ??
      (listenHost === null ? "*" : defaultAllowedHosts(listenHost)),
    corsOrigins: config.CORS_ORIGINS ?? [],
    legacyRoutesPublic: config.LEGACY_ROUTES_PUBLIC,
  };
}

/**
 * The key page cursors are signed with. Deno Deploy runs the service in many
 * isolates at once, and a client's next page may reach another one, so
 * every isolate must sign alike: the key is derived from API_TOKEN, which
 * every isolate has (and which Deploy requires). Without a token the service
 * is one process on loopback: a random key per process (a cursor from before
 * a restart is then a 400 asking for a fresh first page).
 */
export function cursorSecretOf(config: Pick<ServeConfig, "API_TOKEN">): string | Uint8Array {
  return config.API_TOKEN !== undefined
    ? `stresswatch page cursors\n${config.API_TOKEN}`
    : crypto.getRandomValues(new Uint8Array(32));
}
