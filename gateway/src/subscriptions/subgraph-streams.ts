// Opens the primary subscription on the subgraph that owns the root field, as the caller:
// embedded, graphql's `subscribe` on the module's schema with a context built from the
// caller's identity and language; distributed, graphql-ws to the subgraph's own /graphql with
// the caller's token and language in connectionParams, signed by the gateway (the subgraph
// checks the signature, and verifies the token itself).
import type { GraphQLDataSource } from '@apollo/gateway';
import type { SubgraphModule } from '@grocery/platform';
import { isAsyncIterable } from 'graphql/jsutils/isAsyncIterable';
import { parse, subscribe, type DocumentNode, type ExecutionResult, type FormattedExecutionResult } from 'graphql';
import { createClient, type Client } from 'graphql-ws/client';
import { LRUCache } from 'lru-cache';
import WebSocket from 'ws';
import type { GatewayContext } from '../context';
import { HttpSubgraph } from '../datasources/http-subgraph';
import { InProcessSubgraph } from '../datasources/in-process-subgraph';

export interface UpstreamRequest {
  query: string;
  operationName?: string;
  variables: Record<string, unknown>;
}

export type UpstreamEvent = ExecutionResult | FormattedExecutionResult;
export type UpstreamResult = AsyncIterator<UpstreamEvent> | UpstreamEvent;

export class SubgraphStreams {
  private readonly documents = new LRUCache<string, DocumentNode>({ max: 1000 });

  constructor(
    private readonly modules: Partial<Record<string, SubgraphModule>>,
    private readonly subgraphs: Record<string, GraphQLDataSource<GatewayContext>>,
  ) {}

  /** The streams of one client connection (it owns the upstream sockets it opens). */
  forConnection(caller: GatewayContext): ConnectionStreams {
    return new ConnectionStreams(this, caller);
  }

  /** In this process: the module that serves `serviceName`, if it runs here. */
  moduleOf(serviceName: string): SubgraphModule | undefined {
    const ds = this.subgraphs[serviceName];
    return this.modules[serviceName] ?? (ds instanceof InProcessSubgraph ? ds.module : undefined);
  }

  /** Distributed: the subgraph service (its graphql-ws URL is its HTTP endpoint's path). */
  remoteOf(serviceName: string): HttpSubgraph | undefined {
    const ds = this.subgraphs[serviceName];
    return ds instanceof HttpSubgraph ? ds : undefined;
  }

  document(query: string): DocumentNode {
    let doc = this.documents.get(query);
    if (!doc) {
      doc = parse(query);
      this.documents.set(query, doc);
    }
    return doc;
  }
}

export class ConnectionStreams {
  private readonly clients = new Map<string, Client>();

  constructor(
    private readonly streams: SubgraphStreams,
    private readonly caller: GatewayContext,
  ) {}

  async open(serviceName: string, request: UpstreamRequest): Promise<UpstreamResult> {
    const module = this.streams.moduleOf(serviceName);
    if (module) {
      const result = await subscribe({
        schema: module.schema,
        document: this.streams.document(request.query),
        variableValues: request.variables,
        operationName: request.operationName,
        contextValue: module.createContext({
          identity: this.caller.identity,
          locale: this.caller.locale,
          clientKey: this.caller.clientKey,
        }),
      });
      return isAsyncIterable(result) ? result[Symbol.asyncIterator]() : result;
    }
    const remote = this.streams.remoteOf(serviceName);
    if (!remote) throw new Error(`No way to subscribe on subgraph "${serviceName}"`);
    return this.client(serviceName, remote).iterate({
      query: request.query,
      operationName: request.operationName,
      variables: request.variables,
    });
  }

  /** Closes this connection's upstream sockets (their subscriptions end with them). */
  async close(): Promise<void> {
    const clients = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(clients.map((c) => c.dispose()));
  }

  // One lazy client per subgraph per client connection: multiplexes that connection's
  // subscriptions, connects on the first and disconnects after the last.
  private client(serviceName: string, remote: HttpSubgraph): Client {
    let client = this.clients.get(serviceName);
    if (!client) {
      client = createClient({
        url: remote.webSocketUrl,
        webSocketImpl: WebSocket,
        lazy: true,
        retryAttempts: 3,
        // A function: signed afresh at every (re)connection, within the subgraph's time window.
        connectionParams: () => remote.webSocketConnectionParams(this.caller),
      });
      this.clients.set(serviceName, client);
    }
    return client;
  }
}
