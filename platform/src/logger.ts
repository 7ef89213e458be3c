import pino, { type Logger } from 'pino';
import { traceFields } from './tracing/tracing';

export type { Logger };

/**
 * JSON lines on stdout. A line written while a traced request runs carries its trace_id and
 * span_id (nothing is added when tracing is off).
 */
export function createLogger(
  level: string = process.env.LOG_LEVEL ?? 'info',
  name = 'grocery',
  /** Where the lines go instead of stdout (tests read them). */
  destination?: pino.DestinationStream,
): Logger {
  const options = { name, level, base: { pid: process.pid }, mixin: traceFields };
  return destination ? pino(options, destination) : pino(options);
}
