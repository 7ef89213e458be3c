// Tracing and slow logs as the configuration says (config.ts, "Metrics and traces").
import type { Config } from '../config';
import type { Logger } from '../logger';
import { configureSlowLogs } from './slow-log';
import { startTracing, type Tracing } from './tracing';

/** The OTLP traces endpoint: the traces one, else the base endpoint's /v1/traces; none: no tracing. */
export function tracesEndpoint(
  config: Pick<Config, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' | 'OTEL_EXPORTER_OTLP_ENDPOINT'>,
): string | undefined {
  if (config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (config.OTEL_EXPORTER_OTLP_ENDPOINT) return `${config.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`;
  return undefined;
}

/** Starts this process's tracing when a collector is configured (a process calls it once, at start). */
export async function startTracingFromConfig(config: Config, serviceName: string, logger: Logger): Promise<Tracing> {
  const url = tracesEndpoint(config);
  const tracing = await startTracing({
    serviceName: config.OTEL_SERVICE_NAME ?? serviceName,
    url,
    sampleRatio: config.TRACE_SAMPLE_RATIO,
  });
  if (tracing.enabled) logger.info({ url, sampleRatio: config.TRACE_SAMPLE_RATIO }, 'tracing to an OTLP collector');
  return tracing;
}

export function configureSlowLogsFromConfig(config: Config, logger: Logger): void {
  configureSlowLogs({ logger, slowQueryMs: config.SLOW_QUERY_MS, slowFetchMs: config.SLOW_FETCH_MS });
}
