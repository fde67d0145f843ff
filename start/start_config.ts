import { PairingEnv } from "../bot/bot_env.ts";
import { SensorsEnv } from "../producer/sensors_env.ts";
import { AlertsEnv } from "../shared/config/alerts_env.ts";
import { ApiEnv } from "../shared/config/api_env.ts";
import { AwsEnv } from "../shared/config/aws_env.ts";
import { HttpEnv } from "../shared/config/http_env.ts";
import { LogEnv } from "../shared/config/log_env.ts";
import { ModelsEnv } from "../shared/config/models_env.ts";
import { OutboxEnv } from "../shared/config/outbox_env.ts";
import { composeEnv } from "../shared/config/parse_env.ts";
import { StoreAdapterEnv, StoreEnv } from "../shared/config/store_env.ts";
import { TelegramEnv } from "../shared/config/telegram_env.ts";
import { TimeZoneEnv } from "../shared/config/time_zone_env.ts";
import type { z } from "zod";

/**
 * `deno task start`'s settings. Every one has a default, so it runs with no
 * configuration at all (Deno KV under `./data`, alerts in the log); the
 * store may be DynamoDB (`DYNAMODB_TABLE`), and with `TELEGRAM_BOT_TOKEN`
 * alerts go to Telegram and the bot polls it (no public URL needed). The
 * README's configuration table lists them.
 */
export const StartConfigSchema = composeEnv(
  HttpEnv,
  StoreEnv,
  StoreAdapterEnv,
  AwsEnv,
  SensorsEnv,
  ModelsEnv,
  AlertsEnv,
  ApiEnv,
  TelegramEnv,
  OutboxEnv,
  PairingEnv,
  TimeZoneEnv,
  LogEnv,
);

export type StartConfig = z.output<typeof StartConfigSchema>;
