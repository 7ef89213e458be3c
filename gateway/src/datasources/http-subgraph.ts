// Distributed mode: a subgraph service over HTTP with keep-alive connections (undici pool).
// Forwards the caller's token and language; the subgraph verifies the token itself.
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { Agent, fetch as undiciFetch } from 'undici';
import type { GatewayContext } from '../context';

const agent = new Agent({ keepAliveTimeout: 30_000, connections: 128, pipelining: 1 });

export class HttpSubgraph extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(name: string, url: string) {
    super({
      url,
      fetcher: ((input: string, init: Record<string, unknown>) =>
        undiciFetch(input, { ...init, dispatcher: agent } as never)) as never,
    });
    this.name = name;
  }

  readonly name: string;

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const gw = context as Partial<GatewayContext>;
    if (gw.token) request.http?.headers.set('authorization', `Bearer ${gw.token}`);
    if (gw.locale) request.http?.headers.set('accept-language', gw.locale);
  }
}
