// Query deduplication (as Apollo Router does it): identical subgraph query fetches in flight at
// the same moment are made once, and every request waiting for one gets the answer. A hot
// product page read by hundreds of shoppers at once then costs the subgraph one fetch per
// moment, not hundreds; a stock change fanned out to many subscribers fetches each product once.
//
// Identical means: the same subgraph, operation text, variables, language and caller — the
// signed-in user (with roles) or "anonymous". Anonymous answers do not depend on who asks, so
// every anonymous caller of one language shares. Mutations and subscriptions are never shared,
// and neither are health checks or schema loads.
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
// Not re-exported by the package's index.
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { GatewayContext } from '../context';

interface InFlight {
  response: Promise<GatewayGraphQLResponse>;
  /** Requests waiting for it; final once it settles (the entry is gone by then). */
  waiters: number;
}

export interface DeduplicationStats {
  /** Fetches sent to the subgraph. */
  fetches: number;
  /** Requests answered by another request's fetch. */
  shared: number;
}

const NOT_SHARED = /^\s*(mutation|subscription)\b/;

export class DeduplicatedSubgraph implements GraphQLDataSource<GatewayContext> {
  private readonly inFlight = new Map<string, InFlight>();
  readonly stats: DeduplicationStats = { fetches: 0, shared: 0 };

  constructor(
    readonly name: string,
    readonly inner: GraphQLDataSource<GatewayContext>,
  ) {}

  async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const key = keyOf(options);
    if (key === undefined) return this.inner.process(options);
    let entry = this.inFlight.get(key);
    if (entry) {
      entry.waiters += 1;
      this.stats.shared += 1;
    } else {
      this.stats.fetches += 1;
      const response = this.inner.process(options);
      entry = { response, waiters: 1 };
      this.inFlight.set(key, entry);
      // Registered before any waiter's await, so it runs first: nobody joins a settled fetch,
      // and `waiters` is final when the waiters read it.
      const forget = () => this.inFlight.delete(key);
      response.then(forget, forget);
    }
    const response = await entry.response;
    // The gateway merges later fetches into the objects of a response, so a shared one is
    // copied per request. Errors are only read, and GraphQLError instances must stay intact.
    return entry.waiters > 1 && response.data ? { ...response, data: structuredClone(response.data) } : response;
  }
}

function keyOf(options: GraphQLDataSourceProcessOptions<GatewayContext>): string | undefined {
  if (options.kind !== GraphQLDataSourceRequestKind.INCOMING_OPERATION) return undefined;
  const { query, variables } = options.request;
  if (!query || NOT_SHARED.test(query)) return undefined;
  const { identity, locale } = options.context as Partial<GatewayContext>;
  const caller = identity ? `user:${identity.userId}:${[...identity.roles].sort().join(',')}` : 'anonymous';
  return `${caller}\0${locale ?? ''}\0${query}\0${variables ? JSON.stringify(variables) : ''}`;
}

/** The data source under a deduplicating wrapper (what transports that need the real one look for). */
export function withoutDeduplication(ds: GraphQLDataSource<GatewayContext>): GraphQLDataSource<GatewayContext> {
  return ds instanceof DeduplicatedSubgraph ? ds.inner : ds;
}
