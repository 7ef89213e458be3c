// The request a span or log line belongs to. Only while tracing is on: the GraphQL operation then
// rides in the OpenTelemetry context (AsyncLocalStorage) beside the span, so a slow SQL statement
// is logged with the operation that caused it. With tracing off nothing here keeps async context:
// an AsyncLocalStorage in use makes every promise in the process dearer (Node 20's promise hooks),
// which `pnpm bench gateway` measured at about a fifth of the gateway's throughput.
import { context, createContextKey } from '@opentelemetry/api';
import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestHandler } from 'express';
import { activeSpan, failSpan, runInContext, startServerSpan, tracingEnabled } from './tracing';

export interface RequestScope {
  /** "query ProductPage" once the operation is resolved. */
  operation?: string;
}

const SCOPE = createContextKey('grocery.request-scope');

/**
 * Operations this process is answering right now (the gateway's in embedded mode, a subgraph
 * service's own otherwise), kept by operationScopePlugin whether or not tracing is on: a Set
 * add and delete per request. With tracing off, a slow statement's line names the operations
 * that were running for all of its duration — the one that caused it among them.
 */
interface InFlight {
  label: string;
  started: number;
}
const inFlight = new Set<InFlight>();
const MAX_NAMED = 5;
/** A bound, should a response never be sent for some request (its entry would stay). */
const MAX_IN_FLIGHT = 10_000;

/**
 * The operations running since before `since` (performance.now()) and still running: `operation`
 * when there is one, else up to five distinct ones by count, and how many there were.
 */
export function operationsRunningSince(since: number): {
  operation?: string;
  operations_in_flight?: string[];
  in_flight?: number;
} {
  const counts = new Map<string, number>();
  let n = 0;
  for (const op of inFlight)
    if (op.started <= since) {
      n++;
      counts.set(op.label, (counts.get(op.label) ?? 0) + 1);
    }
  if (n === 0) return {};
  if (n === 1) return { operation: counts.keys().next().value };
  const named = [...counts].sort((a, b) => b[1] - a[1]).slice(0, MAX_NAMED);
  return { operations_in_flight: named.map(([label, c]) => `${label} ×${c}`), in_flight: n };
}

/** The operation of the traced request this code runs for (undefined when tracing is off). */
export function currentOperation(): string | undefined {
  if (!tracingEnabled()) return undefined;
  return (context.active().getValue(SCOPE) as RequestScope | undefined)?.operation;
}

/** Runs `fn` as part of a request with this scope (tracing on; otherwise just runs it). */
export function runInScope<T>(scope: RequestScope, fn: () => T): T {
  if (!tracingEnabled()) return fn();
  return runInContext(context.active().setValue(SCOPE, scope), fn);
}

/** The client's operation name, cut so a log line or span name stays small. */
const nameOf = (name: string | null | undefined): string => (name ?? 'anonymous').slice(0, 100);

/** "query ProductPage" from a resolved operation. */
export function operationLabel(type: string | undefined, name: string | null | undefined): string {
  return `${type ?? 'unknown'} ${nameOf(name)}`;
}

export interface RequestObservationOptions {
  /** The server span's name until the operation is known ("POST /graphql"). */
  spanName: string;
  /**
   * Continue the caller's trace from its traceparent header. The gateway does not (a client
   * must not choose trace ids or force sampling); a subgraph service does (its caller is the
   * gateway, whose requests are signed).
   */
  continueTrace: boolean;
}

/**
 * Express middleware: with tracing on, the request's server span (ended when the response is
 * finished or the connection closes) and its scope. With tracing off, nothing.
 */
export function observeRequests(opts: RequestObservationOptions): RequestHandler {
  return (req, res, next) => {
    if (!tracingEnabled()) return next();
    const server = startServerSpan(
      opts.spanName,
      { 'http.request.method': req.method, 'url.path': req.baseUrl || req.path },
      opts.continueTrace ? req.headers : undefined,
    );
    if (!server) return next();
    res.once('close', () => {
      server.span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) failSpan(server.span, new Error(`HTTP ${res.statusCode}`));
      server.span.end();
    });
    const scope: RequestScope = {};
    return runInContext(server.context.setValue(SCOPE, scope), next);
  };
}

/**
 * Apollo plugin: keeps the operations in flight, and with tracing on names the request's scope
 * and server span after the operation once it is resolved ("query ProductPage"; the gateway's
 * subgraph fetches arrive as "query ProductPage__products__0").
 */
export function operationScopePlugin<C extends object>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      const started = performance.now();
      let running: InFlight | undefined;
      return {
        async didResolveOperation({ operation, operationName }) {
          if (!operation) return;
          const label = operationLabel(operation.operation, operationName);
          if (inFlight.size < MAX_IN_FLIGHT) inFlight.add((running = { label, started }));
          if (!tracingEnabled()) return;
          const scope = context.active().getValue(SCOPE) as RequestScope | undefined;
          if (scope) scope.operation = label;
          const span = activeSpan();
          span?.updateName(label);
          span?.setAttributes({
            'graphql.operation.name': nameOf(operationName),
            'graphql.operation.type': operation.operation,
          });
        },
        async willSendResponse() {
          if (running) inFlight.delete(running);
        },
      };
    },
  };
}
