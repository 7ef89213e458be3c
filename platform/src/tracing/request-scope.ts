// What a log line written during a request says about it: the GraphQL operation it serves, so a
// slow SQL statement or subgraph fetch is logged with the operation that caused it, whether or
// not tracing is on. One AsyncLocalStorage, entered once per HTTP request (after the body is
// read: stream events do not carry async context), the operation filled in once it is resolved.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestHandler } from 'express';
import { activeSpan, failSpan, runInContext, startServerSpan } from './tracing';

export interface RequestScope {
  /** "query ProductPage" once the operation is resolved. */
  operation?: string;
}

const scopes = new AsyncLocalStorage<RequestScope>();

export function currentScope(): RequestScope | undefined {
  return scopes.getStore();
}

/** The operation of the request this code runs for, if any. */
export function currentOperation(): string | undefined {
  return scopes.getStore()?.operation;
}

export function runInScope<T>(scope: RequestScope, fn: () => T): T {
  return scopes.run(scope, fn);
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
 * Express middleware: the request's scope and, when tracing is on, its server span (ended when
 * the response is finished or the connection closes).
 */
export function observeRequests(opts: RequestObservationOptions): RequestHandler {
  return (req, res, next) => {
    const scope: RequestScope = {};
    const server = startServerSpan(
      opts.spanName,
      { 'http.request.method': req.method, 'url.path': req.baseUrl || req.path },
      opts.continueTrace ? req.headers : undefined,
    );
    if (!server) return scopes.run(scope, next);
    res.once('close', () => {
      server.span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) failSpan(server.span, new Error(`HTTP ${res.statusCode}`));
      server.span.end();
    });
    return scopes.run(scope, () => runInContext(server.context, next));
  };
}

/**
 * Apollo plugin: names the request's scope and server span after the operation once it is
 * resolved ("query ProductPage"; the gateway's subgraph fetches arrive as
 * "query ProductPage__products__0").
 */
export function operationScopePlugin<C extends object>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, operationName }) {
          if (!operation) return;
          // Client-chosen: cut, so a log line or span name stays small.
          const name = (operationName ?? 'anonymous').slice(0, 100);
          const label = `${operation.operation} ${name}`;
          const scope = scopes.getStore();
          if (scope) scope.operation = label;
          const span = activeSpan();
          span?.updateName(label);
          span?.setAttributes({ 'graphql.operation.name': name, 'graphql.operation.type': operation.operation });
        },
      };
    },
  };
}
