import { createLogger, type Logger, type LogLevel } from "../shared/log.ts";

/** A logger that keeps its lines, for tests that look at logs. */
export function createMemoryLogger(level: LogLevel = "debug"): Logger & { lines: string[] } {
  const lines: string[] = [];
  return Object.assign(createLogger({ level, write: (line) => lines.push(line) }), { lines });
}
