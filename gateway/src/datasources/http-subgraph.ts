// Distributed mode: a subgraph service over HTTP. A keep-alive connection pool (undici) per
// subgraph and one plain POST per fetch: Apollo's RemoteGraphQLDataSource builds a
// node-fetch Request and goes through a fetch implementation for every call, which showed up
// as the gateway's largest per-request cost. Forwards the caller's token and language; the
// subgraph verifies the token itself.
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { CLIENT_KEY_HEADER } from '@grocery/platform';
import { Pool } from 'undici';
import type { GatewayContext } from '../context';

export class HttpSubgraph implements GraphQLDataSource<GatewayContext> {
  private readonly pool: Pool;
  private readonly path: string;

  constructor(
    readonly name: string,
    readonly url: string,
    connections = 16,
  ) {
    const u = new URL(url);
    this.pool = new Pool(u.origin, { connections, keepAliveTimeout: 30_000, pipelining: 1 });
    this.path = u.pathname + u.search;
  }

  async process({
    request,
    context,
    signal,
  }: GraphQLDataSourceProcessOptions<GatewayContext> & { signal?: AbortSignal }): Promise<GatewayGraphQLResponse> {
    const gw = context as Partial<GatewayContext>;
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (gw.token) headers.authorization = `Bearer ${gw.token}`;
    if (gw.locale) headers['accept-language'] = gw.locale;
    if (gw.clientKey) headers[CLIENT_KEY_HEADER] = gw.clientKey;
    const res = await this.pool.request({
      path: this.path,
      method: 'POST',
      // Aborted by the guard (guarded-subgraph.ts) on timeout, so a hung subgraph frees the connection.
      signal,
      headers,
      body: JSON.stringify({
        query: request.query,
        variables: request.variables,
        operationName: request.operationName,
      }),
    });
    const text = await res.body.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`subgraph ${this.name} answered HTTP ${res.statusCode} with a body that is not JSON`);
    }
    // GraphQL errors come back with their codes even on 4xx (e.g. a 401 for a bad token).
    if (typeof body !== 'object' || body === null || !('data' in body || 'errors' in body)) {
      throw new Error(`subgraph ${this.name} answered HTTP ${res.statusCode} without data or errors`);
    }
    return body as GatewayGraphQLResponse;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
