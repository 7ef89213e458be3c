// What a cached response depends on: the tags each subgraph reported with its answer
// (`extensions.cacheTags`, platform/src/graphql/cache-control.ts), recorded per request as the
// query plan runs. A subgraph that reports none (one from elsewhere, behind SUPERGRAPH_PATH)
// stands for all of its domain: `<name>/*`. Nothing here knows any domain by name.
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { CACHE_TAGS_EXTENSION, MAX_CACHE_TAGS } from '@grocery/platform';
import type { GatewayContext } from '../context';

/** `<domain>/<aggregate>:<key>` or `<domain>/*`: the domain, whose topic evicts the tag. */
export function domainOfTag(tag: string): string {
  const slash = tag.indexOf('/');
  return slash < 0 ? tag : tag.slice(0, slash);
}

const TAG = /^[a-z][a-z0-9-]*\/(\*|[A-Za-z][\w-]*:.{1,200})$/;

/** The tags a subgraph answer carries; its own wildcard when it reported none (or garbage). */
export function tagsOfAnswer(subgraph: string, response: GatewayGraphQLResponse | undefined): string[] {
  const reported = response?.extensions?.[CACHE_TAGS_EXTENSION];
  if (!Array.isArray(reported) || reported.length === 0 || reported.length > MAX_CACHE_TAGS + 1)
    return [`${subgraph}/*`];
  const tags = reported.filter((t): t is string => typeof t === 'string' && TAG.test(t));
  return tags.length === reported.length ? tags : [`${subgraph}/*`];
}

/** Per-request record of the subgraph fetches, keyed by the request's context object. */
export class FetchLog {
  private readonly byRequest = new WeakMap<object, { subgraphs: Set<string>; tags: Set<string> }>();

  record(context: object, subgraph: string, tags: readonly string[]): void {
    let log = this.byRequest.get(context);
    if (!log) this.byRequest.set(context, (log = { subgraphs: new Set(), tags: new Set() }));
    log.subgraphs.add(subgraph);
    for (const t of tags) log.tags.add(t);
  }

  of(context: object): { subgraphs: ReadonlySet<string>; tags: ReadonlySet<string> } {
    return this.byRequest.get(context) ?? { subgraphs: new Set(), tags: new Set() };
  }

  /**
   * Wraps a subgraph's data source: each fetch is logged against its request as it starts (a
   * mutation evicts its subgraphs' domains even when it fails) and its answer's tags when it ends.
   */
  wrap(name: string, inner: GraphQLDataSource<GatewayContext>): GraphQLDataSource<GatewayContext> {
    return {
      process: async (options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> => {
        const context = options.context as object | undefined;
        if (context) this.record(context, name, []);
        const response = await inner.process(options);
        if (context) this.record(context, name, tagsOfAnswer(name, response));
        return response;
      },
    };
  }
}
