// Latency and errors of each subgraph fetch the gateway's query plans wait for, whatever the
// transport (in process or HTTP) and however it was answered (a shared deduplicated fetch, the
// guard's SUBGRAPH_UNAVAILABLE). Wrapped around the data source Apollo's gateway is given, so
// the data sources others look into (subscriptions, /status) stay as they are.
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
// Not re-exported by the package's index.
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { ErrorCode, counter, errorCodeLabel, histogram, reportFetch } from '@grocery/platform';
import type { GatewayContext } from '../context';

const duration = histogram({
  name: 'gateway_subgraph_fetch_duration_seconds',
  help: 'Time the gateway waited for one subgraph fetch of a query plan (seconds).',
  labelNames: ['subgraph'],
});
const failed = counter({
  name: 'gateway_subgraph_fetch_errors_total',
  help: 'Subgraph fetches answered with errors (by the first error code) or not answered at all.',
  labelNames: ['subgraph', 'code'],
});

export function measuredSubgraph(
  name: string,
  inner: GraphQLDataSource<GatewayContext>,
): GraphQLDataSource<GatewayContext> {
  return {
    async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
      // Health checks and schema loads are not client traffic.
      if (options.kind !== GraphQLDataSourceRequestKind.INCOMING_OPERATION) return inner.process(options);
      const started = performance.now();
      let ok = false;
      try {
        const response = await inner.process(options);
        const first = response.errors?.[0];
        if (first) failed.inc({ subgraph: name, code: errorCodeLabel(first.extensions?.code) });
        ok = !first;
        return response;
      } catch (err) {
        failed.inc({ subgraph: name, code: ErrorCode.INTERNAL_SERVER_ERROR });
        throw err;
      } finally {
        const ms = performance.now() - started;
        duration.observe({ subgraph: name }, ms / 1000);
        // Slow fetches (SLOW_FETCH_MS) are logged with the client's operation and this fetch's name.
        const client = options.incomingRequestContext;
        reportFetch(ms, {
          subgraph: name,
          type: client.operation?.operation,
          name: client.operationName,
          fetch: options.request.operationName ?? undefined,
          failed: !ok,
        });
      }
    },
  };
}

/** Every data source measured: for plans the gateway runs itself (subscription events). */
export function measuredSubgraphs(
  subgraphs: Record<string, GraphQLDataSource<GatewayContext>>,
): Record<string, GraphQLDataSource<GatewayContext>> {
  return Object.fromEntries(Object.entries(subgraphs).map(([name, ds]) => [name, measuredSubgraph(name, ds)]));
}
