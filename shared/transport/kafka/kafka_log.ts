import { type logCreator, logLevel } from "kafkajs";
import type { LogFields, Logger } from "../../log.ts";

/**
 * Routes kafkajs's own log lines into our logger (one line per event, on
 * stderr) instead of kafkajs's JSON on stdout. kafkajs reports ordinary
 * rebalances at ERROR level, so its errors come out as warnings; give
 * `logLevel: logLevel.WARN` (the default of `kafkaClientConfig`) to keep
 * its chatter out.
 */
export function kafkaLogCreator(log: Logger): logCreator {
  return () => ({ namespace, level, log: entry }) => {
    const { message, timestamp: _t, logger: _l, stack: _s, ...extra } = entry;
    const fields: LogFields = {};
    for (const [name, value] of Object.entries(extra)) {
      if (value === null || ["string", "number", "boolean"].includes(typeof value)) {
        fields[name] = value as LogFields[string];
      }
    }
    const line = namespace ? `${namespace}: ${message}` : String(message);
    if (level <= logLevel.WARN) log.warn(line, fields);
    else if (level === logLevel.INFO) log.info(line, fields);
    else log.debug(line, fields);
  };
}
