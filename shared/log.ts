/**
 * One line per event: `2026-01-31T12:00:05.000Z info  consumer: stored batch readings=12`,
 * or with the `json` format one JSON object per line:
 * `{"time":"2026-01-31T12:00:05.000Z","level":"info","logger":"consumer","msg":"stored batch","readings":12}`.
 * Never one line per reading. In JSON a newline in a message or a value is
 * escaped, so each event is one line; in text only a message may span lines
 * on purpose (the producer's sensor table at start).
 */
export type LogLevel = "debug" | "info" | "warn" | "error";

export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const satisfies LogLevel[];

/** What a logger writes unless told otherwise (`LOG_LEVEL`). */
export const DEFAULT_LOG_LEVEL: LogLevel = "info";

/** `text` for people, `json` for log collectors (one object per line). */
export type LogFormat = "text" | "json";

export const LOG_FORMATS = ["text", "json"] as const satisfies LogFormat[];

/** How a logger writes unless told otherwise (`LOG_FORMAT`). */
export const DEFAULT_LOG_FORMAT: LogFormat = "text";

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
  /** `text` (default) or `json`: one JSON object per line. */
  format?: LogFormat;
  /** Where lines go; stderr by default so stdout stays free for data (`--once`). */
  write?: (line: string) => void;
  now?: () => number;
  name?: string;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const min = ORDER[options.level ?? DEFAULT_LOG_LEVEL];
  const write = options.write ?? ((line: string) => console.error(line));
  const now = options.now ?? Date.now;
  const format = options.format ?? DEFAULT_LOG_FORMAT;
  if (!LOG_FORMATS.includes(format)) {
    throw new RangeError(
      `Cannot create logger: 'format' must be ${LOG_FORMATS.join(" or ")}, got '${format}'`,
    );
  }
  const line = format === "json" ? jsonLine : textLine;
  const make = (name: string | undefined): Logger => {
    const emit = (level: LogLevel) => (message: string, fields?: LogFields) => {
      if (ORDER[level] < min) return;
      write(line({ time: new Date(now()).toISOString(), level, name, message, fields }));
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

interface LogEvent {
  time: string;
  level: LogLevel;
  name: string | undefined;
  message: string;
  fields: LogFields | undefined;
}

function textLine({ time, level, name, message, fields }: LogEvent): string {
  const extra = Object.entries(fields ?? {})
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${formatValue(v)}`)
    .join(" ");
  return `${time} ${level.padEnd(5)} ${name ? `${name}: ` : ""}${message}${
    extra ? ` ${extra}` : ""
  }`;
}

/**
 * The event as one JSON object: `time`, `level`, `logger` (when named), `msg`,
 * then the fields. A field named like one of those four keeps its value under
 * `field.<name>`, so the fixed keys always mean the same.
 */
function jsonLine({ time, level, name, message, fields }: LogEvent): string {
  const event: Record<string, unknown> = { time, level, ...(name ? { logger: name } : {}) };
  event.msg = message;
  for (const [key, value] of Object.entries(fields ?? {})) {
    if (value === undefined) continue;
    event[key in event || key === "logger" ? `field.${key}` : key] = value;
  }
  // JSON.stringify escapes newlines, so the object stays on one line.
  return JSON.stringify(event);
}

function formatValue(value: unknown): string {
  const text = String(value);
  return /[\s"=]/.test(text) ? JSON.stringify(text) : text;
}

/** A logger that drops everything, for tests that do not look at logs. */
export const silentLogger: Logger = createLogger({ write: () => {} });
