// Distributed mode: a subgraph service over HTTP. A keep-alive connection pool (undici) per
// subgraph and one plain POST per fetch: Apollo's RemoteGraphQLDataSource builds a
// node-fetch Request and goes through a fetch implementation for every call, which showed up
// as the gateway's largest per-request cost. Forwards the caller's token and language; the
// subgraph verifies the token itself. Every request carries the gateway's signature over what
// the subgraph acts on (auth/gateway-signature.ts in platform): a subgraph answers nobody else.
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import {
  CLIENT_KEY_HEADER,
  GATEWAY_SIGNATURE_HEADER,
  WEBSOCKET_SIGNATURE_METHOD,
  injectTraceHeaders,
  type ForwardedValues,
  type GatewaySigner,
} from '@grocery/platform';
import { Pool } from 'undici';
import type { GatewayContext } from '../context';

export class HttpSubgraph implements GraphQLDataSource<GatewayContext> {
  private readonly pool: Pool;
  private readonly path: string;

  constructor(
    readonly name: string,
    readonly url: string,
    /** Absent only for subgraphs outside this platform (SUPERGRAPH_PATH without a signing secret). */
    private readonly signer: GatewaySigner | undefined,
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
    const forwarded = forwardedOf(gw);
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (forwarded.authorization) headers.authorization = forwarded.authorization;
    if (forwarded.acceptLanguage) headers['accept-language'] = forwarded.acceptLanguage;
    if (forwarded.clientKey) headers[CLIENT_KEY_HEADER] = forwarded.clientKey;
    // traceparent of this fetch's span (gateway.fetch), when tracing is on.
    injectTraceHeaders(headers);
    const payload = JSON.stringify({
      query: request.query,
      variables: request.variables,
      operationName: request.operationName,
    });
    if (this.signer)
      headers[GATEWAY_SIGNATURE_HEADER] = this.signer.sign({
        method: 'POST',
        path: this.path,
        body: payload,
        forwarded,
      });
    // Aborted by the guard (guarded-subgraph.ts) on timeout, so a hung subgraph frees the connection.
    const res = await this.pool.request({ path: this.path, method: 'POST', signal, headers, body: payload });
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

  /** The graphql-ws URL of the same service (same path). */
  get webSocketUrl(): string {
    return this.url.replace(/^http/, 'ws');
  }

  /**
   * connectionParams for a graphql-ws connection to this service as `caller`, signed now: call it
   * at each (re)connection, so that the signature is fresh.
   */
  webSocketConnectionParams(caller: Partial<Pick<GatewayContext, 'token' | 'locale' | 'clientKey'>>) {
    const forwarded = forwardedOf(caller);
    return {
      ...(forwarded.authorization ? { authorization: forwarded.authorization } : {}),
      ...(forwarded.acceptLanguage ? { 'accept-language': forwarded.acceptLanguage } : {}),
      ...(forwarded.clientKey ? { [CLIENT_KEY_HEADER]: forwarded.clientKey } : {}),
      ...(this.signer
        ? {
            [GATEWAY_SIGNATURE_HEADER]: this.signer.sign({
              method: WEBSOCKET_SIGNATURE_METHOD,
              path: this.path,
              body: '',
              forwarded,
            }),
          }
        : {}),
    };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** What the gateway forwards of the caller, exactly as it is sent (and signed). */
function forwardedOf(gw: Partial<Pick<GatewayContext, 'token' | 'locale' | 'clientKey'>>): ForwardedValues {
  return {
    authorization: gw.token ? `Bearer ${gw.token}` : undefined,
    acceptLanguage: gw.locale || undefined,
    clientKey: gw.clientKey || undefined,
  };
}
