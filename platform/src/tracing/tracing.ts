// OpenTelemetry traces, off unless an exporter is configured: with none, no tracer provider and no
// context manager are registered, every helper here is a plain call, and nothing leaves the
// machine. On: one provider per process (W3C trace context between gateway and subgraph services,
// AsyncLocalStorage for the active span), spans batched to an OTLP/HTTP collector, or handed to
// the exporter a test passes (InMemorySpanExporter). @apollo/gateway's own spans (gateway.request,
// gateway.plan, gateway.fetch per subgraph fetch) join the same traces through the shared API.
import {
  context,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';

export { SpanKind, type Span };

export interface TracingOptions {
  /** service.name on every span of this process ("gateway", "products", …). */
  serviceName: string;
  /** OTLP/HTTP traces endpoint of a collector (…/v1/traces). */
  url?: string;
  /** Where spans go instead, one by one as they end (tests: InMemorySpanExporter). */
  exporter?: SpanExporter;
  /**
   * Share of new traces recorded (the gateway starts them; subgraph services follow the
   * gateway's decision carried in traceparent). Default 1.
   */
  sampleRatio?: number;
}

export interface Tracing {
  /** Whether spans are recorded (false when no exporter was configured). */
  readonly enabled: boolean;
  /** Sends what is buffered and unregisters the provider. */
  shutdown(): Promise<void>;
}

let active = false;
const TRACER = 'grocery';

/** Starts tracing for this process when an exporter (or its URL) is configured; otherwise does nothing. */
export async function startTracing(opts: TracingOptions): Promise<Tracing> {
  if (!opts.exporter && !opts.url) return { enabled: false, shutdown: async () => undefined };
  if (active) throw new Error('tracing is already started in this process');
  let exporter = opts.exporter;
  if (!exporter) {
    // Loaded only when a collector is configured.
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    exporter = new OTLPTraceExporter({ url: opts.url });
  }
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': opts.serviceName }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(opts.sampleRatio ?? 1) }),
    spanProcessors: [opts.exporter ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter)],
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  active = true;
  return {
    enabled: true,
    async shutdown() {
      if (!active) return;
      active = false;
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}

export function tracingEnabled(): boolean {
  return active;
}

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  /**
   * Only as part of a trace already under way (a request's): work outside any request (a relay's
   * poll, a sweep) would otherwise start a one-span trace each time it runs.
   */
  childOnly?: boolean;
}

/**
 * Runs `fn` in a new span, a child of the active one; an error thrown marks the span failed and
 * is rethrown. Without tracing, just runs `fn` (span undefined).
 */
export async function inSpan<T>(
  name: string,
  opts: SpanOptions,
  fn: (span: Span | undefined) => Promise<T>,
): Promise<T> {
  if (!active) return fn(undefined);
  const parent = context.active();
  if (opts.childOnly && !trace.getSpan(parent)) return fn(undefined);
  const span = trace.getTracer(TRACER).startSpan(name, opts, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => fn(span));
  } catch (err) {
    failSpan(span, err);
    throw err;
  } finally {
    span.end();
  }
}

export function failSpan(span: Span, err: unknown): void {
  span.recordException(err instanceof Error ? err : String(err));
  span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
}

/**
 * Starts a server span for an incoming request and returns the context to run it in. `headers`
 * (a traceparent) continue the caller's trace; without them the span starts a new one.
 */
export function startServerSpan(
  name: string,
  attributes: Attributes,
  headers?: Record<string, unknown>,
): { span: Span; context: Context } | undefined {
  if (!active) return undefined;
  const parent = headers ? propagation.extract(ROOT_CONTEXT, headers) : ROOT_CONTEXT;
  const span = trace.getTracer(TRACER).startSpan(name, { kind: SpanKind.SERVER, attributes }, parent);
  return { span, context: trace.setSpan(parent, span) };
}

export function runInContext<T>(ctx: Context, fn: () => T): T {
  return context.with(ctx, fn);
}

/** Adds traceparent for the active span to outgoing request headers (nothing when tracing is off). */
export function injectTraceHeaders(headers: Record<string, string>): void {
  if (active) propagation.inject(context.active(), headers);
}

/** The active span, when tracing is on and one is active. */
export function activeSpan(): Span | undefined {
  return active ? trace.getActiveSpan() : undefined;
}

/** trace_id and span_id of the active span, for log lines (empty when there is none). */
export function traceFields(): { trace_id?: string; span_id?: string } {
  if (!active) return {};
  const sc = trace.getActiveSpan()?.spanContext();
  if (!sc || !isSpanContextValid(sc)) return {};
  return { trace_id: sc.traceId, span_id: sc.spanId };
}
