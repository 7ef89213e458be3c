// Embedded mode: a subgraph in the gateway's own process. Like LocalGraphQLDataSource, but
// the subgraph gets its own per-request context from the gateway's verified identity, and
// parsed subgraph operations are cached (the query planner sends the same few again and again).
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import {
  CACHE_TAGS_EXTENSION,
  cacheTagsOf,
  isClientError,
  withCacheTags,
  type Logger,
  type SubgraphModule,
} from '@grocery/platform';
import { execute, parse, type DocumentNode } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { GatewayContext } from '../context';

export class InProcessSubgraph implements GraphQLDataSource<GatewayContext> {
  private readonly documents = new LRUCache<string, DocumentNode>({ max: 1000 });

  constructor(
    readonly module: SubgraphModule,
    /** Where a resolver's unexpected error is logged with its cause (clients see INTERNAL_SERVER_ERROR). */
    private readonly logger?: Logger,
  ) {}

  async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const { request } = options;
    const query = request.query!;
    let document = this.documents.get(query);
    if (!document) {
      document = parse(query);
      this.documents.set(query, document);
    }
    const gw = options.context as Partial<GatewayContext>;
    const contextValue = withCacheTags(
      this.module.createContext({
        identity: gw.identity,
        locale: gw.locale ?? 'en',
        clientKey: gw.clientKey,
      }),
    );
    const result = await execute({
      schema: this.module.schema,
      document,
      contextValue,
      variableValues: request.variables,
      operationName: request.operationName,
    });
    for (const err of result.errors ?? [])
      if (!isClientError(err.extensions?.code))
        this.logger?.error(
          { err: err.originalError ?? err, path: err.path, subgraph: this.module.name },
          'resolver failed',
        );
    // What the answer was read from, as a subgraph service reports it (graphql/cache-control.ts).
    const tags = cacheTagsOf(contextValue, this.module.name, this.module.preciseCacheTags ?? false);
    return { ...result, extensions: { ...result.extensions, [CACHE_TAGS_EXTENSION]: tags } } as GatewayGraphQLResponse;
  }
}
