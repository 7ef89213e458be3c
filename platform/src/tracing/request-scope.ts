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

/** "query ProductPage" from a resolved operation; the client's name cut so a line stays small. */
export function operationLabel(type: string | undefined, name: string | null | undefined): string {
  return `${type ?? 'unknown'} ${(name ?? 'anonymous').slice(0, 100)}`;
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
 * Apollo plugin: names the request's scope and server span after the operation once it is
 * resolved ("query ProductPage"; the gateway's subgraph fetches arrive as
 * "query ProductPage__products__0"). Nothing to do with tracing off.
 */
export function operationScopePlugin<C extends object>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      if (!tracingEnabled()) return;
      return {
        async didResolveOperation({ operation, operationName }) {
          if (!operation) return;
          const label = operationLabel(operation.operation, operationName);
          const scope = context.active().getValue(SCOPE) as RequestScope | undefined;
          if (scope) scope.operation = label;
          const span = activeSpan();
          span?.updateName(label);
          span?.setAttributes({
            'graphql.operation.name': (operationName ?? 'anonymous').slice(0, 100),
            'graphql.operation.type': operation.operation,
          });
        },
      };
    },
  };
}
