// Where slow work is reported, per process: SQL statements slower than SLOW_QUERY_MS and subgraph
// fetches slower than SLOW_FETCH_MS are logged (warn). A fetch line names the client's operation
// always (the gateway knows it); a statement's line names it when tracing is on (the operation
// rides in the trace context, request-scope.ts), and both carry the trace to look at then. Set once by the composition root (startPlatform, a
// subgraph service); until then nothing is logged.
import type { Logger } from '../logger';
import { currentOperation, operationLabel, operationsRunningSince } from './request-scope';
import { traceFields } from './tracing';

export interface SlowLogSettings {
  logger?: Logger;
  /** Statements taking longer are logged; 0 logs every one (debugging); negative: none. */
  slowQueryMs: number;
  /** Subgraph fetches taking longer are logged; 0 logs every one; negative: none. */
  slowFetchMs: number;
}

const settings: SlowLogSettings = { slowQueryMs: 300, slowFetchMs: 800 };

export function configureSlowLogs(next: Partial<SlowLogSettings>): void {
  Object.assign(settings, next);
}

const over = (ms: number, limit: number) => limit >= 0 && ms >= limit;

/**
 * Logs a SQL statement that took `ms` if it is slow: with its operation when tracing is on, else
 * with the operations that ran for all of its duration (`started`: performance.now() at its start).
 */
export function reportQuery(ms: number, fields: { domain: string; statement: string; started: number }): void {
  if (!settings.logger || !over(ms, settings.slowQueryMs)) return;
  const traced = currentOperation();
  settings.logger.warn(
    {
      ...traceFields(),
      ...(traced ? { operation: traced } : operationsRunningSince(fields.started)),
      domain: fields.domain,
      ms: Math.round(ms),
      statement: fields.statement.slice(0, 500),
    },
    'slow query',
  );
}

/**
 * Logs a subgraph fetch that took `ms` if it is slow, with the client's operation (its type and
 * name, labelled only then: this runs for every fetch).
 */
export function reportFetch(
  ms: number,
  fields: { subgraph: string; type?: string; name?: string | null; fetch?: string; failed?: boolean },
): void {
  if (!settings.logger || !over(ms, settings.slowFetchMs)) return;
  const { type, name, ...rest } = fields;
  settings.logger.warn(
    { ...traceFields(), ...rest, operation: operationLabel(type, name), ms: Math.round(ms) },
    'slow subgraph fetch',
  );
}
