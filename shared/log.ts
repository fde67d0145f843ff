/**
 * One line per event: `2026-01-31T12:00:05.000Z info  consumer: stored batch readings=12`.
 * Never one line per reading.
 */
export type LogLevel = "debug" | "info" | "warn" | "error";

export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const satisfies LogLevel[];

/** What a logger writes unless told otherwise (`LOG_LEVEL`). */
export const DEFAULT_LOG_LEVEL: LogLevel = "info";

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger whose lines start with `name:`. */
  child(name: string): Logger;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Where lines go; stderr by default so stdout stays free for data (`--once`). */
  write?: (line: string) => void;
  now?: () => number;
  name?: string;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const min = ORDER[options.level ?? DEFAULT_LOG_LEVEL];
  const write = options.write ?? ((line: string) => console.error(line));
  const now = options.now ?? Date.now;
  const make = (name: string | undefined): Logger => {
    const emit = (level: LogLevel) => (message: string, fields?: LogFields) => {
      if (ORDER[level] < min) return;
      const extra = Object.entries(fields ?? {})
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${k}=${formatValue(v)}`)
        .join(" ");
      write(
        `${new Date(now()).toISOString()} ${level.padEnd(5)} ${name ? `${name}: ` : ""}${message}${
          extra ? ` ${extra}` : ""
        }`,
      );
    };
    return {
      debug: emit("debug"),
      info: emit("info"),
      warn: emit("warn"),
      error: emit("error"),
      child: (child) => make(name ? `${name}.${child}` : child),
    };
  };
  return make(options.name);
}

function formatValue(value: unknown): string {
  const text = String(value);
  return /[\s"=]/.test(text) ? JSON.stringify(text) : text;
}

/** A logger that drops everything, for tests that do not look at logs. */
export const silentLogger: Logger = createLogger({ write: () => {} });
