// Response cache for public catalog reads: anonymous query operations that touch nothing
// personal are answered from this replica's memory until an event changes what they read.
//
// Invalidation, per entry (tags from response-cache-tags.ts):
//  - every event on a domain's topic evicts the entries whose answers it can change — at once,
//    and again `settleMs` later: subgraphs evict their own caches (and Elasticsearch indexes)
//    from the same events, possibly after this gateway did, and a read in between could store
//    their old answer;
//  - a mutation passing through this replica evicts its domains' entries before its response
//    is sent, so a client reading after its own write never sees the old answer here (other
//    replicas wait for the event);
//  - a request does not store its answer when one of its tags was evicted while it ran.
// Answers also move with time alone (promotion validity windows, "expiring within N days", the
// 7-day popularity window): no event says so, and the TTL (RESPONSE_CACHE_TTL_SECONDS, a few
// seconds) is what bounds that staleness.
import { createHash } from 'node:crypto';
import type { GraphQLDataSource } from '@apollo/gateway';
import { HeaderMap, type ApolloServerPlugin, type GraphQLRequestListener } from '@apollo/server';
import { parseLocale, topicFor, type Bus, type Config, type Logger, type Subscription } from '@grocery/platform';
import type { RequestHandler } from 'express';
import { LRUCache } from 'lru-cache';
import {
  print,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  getNamedType,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import type { GatewayContext } from '../context';
import { ResponseCacheStore } from './response-cache-store';
import { domainOfTopic, FetchLog, PRIVATE_SUBGRAPHS, tagsChangedBy, watchedDomains } from './response-cache-tags';

export const CACHE_HEADER = 'x-cache';

/** The request exactly as sent (no parsing or normalizing): null when it has no query text. */
function rawKeyOf(body: unknown, locale: string): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const { query, operationName, variables } = body as Record<string, unknown>;
  if (typeof query !== 'string') return null;
  return createHash('sha256')
    .update(query)
    .update('\0')
    .update(typeof operationName === 'string' ? operationName : '')
    .update('\0')
    .update(stableJson(variables ?? {}))
    .update('\0')
    .update(locale)
    .digest('base64url');
}

/** Fields and types that answer for a person (or a cart); an operation selecting one is not cached. */
const PRIVATE_ROOT_FIELDS = new Set(['me', 'priceCart']);
const PRIVATE_TYPES = new Set(['User', 'Reservation']);

export interface ResponseCacheOptions {
  ttlMs: number;
  maxEntries: number;
  maxBytes: number;
  settleMs: number;
  bus: Bus;
  logger: Logger;
}

export function responseCacheOptionsFromConfig(
  config: Config,
  deps: { bus: Bus; logger: Logger },
): ResponseCacheOptions | undefined {
  if (config.RESPONSE_CACHE === 'off') return undefined;
  return {
    ttlMs: config.RESPONSE_CACHE_TTL_SECONDS * 1000,
    maxEntries: config.RESPONSE_CACHE_MAX_ENTRIES,
    maxBytes: config.RESPONSE_CACHE_MAX_BYTES,
    settleMs: config.RESPONSE_CACHE_SETTLE_MS,
    ...deps,
  };
}

type Outcome = { kind: 'bypass'; mutation: boolean } | { kind: 'hit' } | { kind: 'miss'; key: string; since: number };

export class ResponseCache {
  readonly store: ResponseCacheStore;
  /**
   * Request as received (query text, operation, variables, locale) → entry key. Lets a hit be
   * answered before Apollo parses and validates anything; the entry itself (and so its
   * eviction and TTL) is the one the plugin stored.
   */
  private readonly aliases: LRUCache<string, string>;
  private readonly fetches = new FetchLog();
  private readonly subscriptions: Subscription[] = [];
  private readonly settling = new Set<string>();
  private settleTimer?: NodeJS.Timeout;
  private readonly printed = new WeakMap<DocumentNode, string>();
  private readonly privateDocuments = new WeakMap<DocumentNode, boolean>();

  constructor(private readonly opts: ResponseCacheOptions) {
    this.store = new ResponseCacheStore({ maxEntries: opts.maxEntries, maxBytes: opts.maxBytes, ttlMs: opts.ttlMs });
    this.aliases = new LRUCache({ max: opts.maxEntries });
  }

  /**
   * Express middleware, mounted after the rate limit and before Apollo: answers a request whose
   * exact form was answered from the cache before. Only anonymous JSON POSTs; anything else, or
   * an alias whose entry is gone, goes on to Apollo (and the plugin) unchanged. Skipping Apollo
   * skips nothing a stored answer depends on: the same document and variables passed the same
   * request limits, and its answer had no errors.
   */
  fastPath(): RequestHandler {
    return (req, res, next) => {
      if (req.method !== 'POST' || req.headers.authorization || !req.is('application/json')) return next();
      const key = this.aliases.get(rawKeyOf(req.body, parseLocale(req.headers['accept-language'])) ?? '');
      const entry = key === undefined ? undefined : this.store.get(key);
      if (!entry) return next();
      res.status(200).set('content-type', 'application/json; charset=utf-8').set(CACHE_HEADER, 'hit').send(entry.body);
    };
  }

  /** The subgraphs' data sources, each logging its fetches (the tags of the response). */
  wrapSubgraphs(
    subgraphs: Record<string, GraphQLDataSource<GatewayContext>>,
  ): Record<string, GraphQLDataSource<GatewayContext>> {
    return Object.fromEntries(Object.entries(subgraphs).map(([name, ds]) => [name, this.fetches.wrap(name, ds)]));
  }

  /** Listens on every topic whose events can change a cached answer (a group per replica). */
  async start(subgraphNames: Iterable<string>): Promise<void> {
    for (const domain of watchedDomains(subgraphNames)) {
      const topic = topicFor(domain);
      this.subscriptions.push(
        await this.opts.bus.subscribe(
          topic,
          { group: 'gateway.response-cache', from: 'latest', ephemeral: true },
          async (event) => this.invalidate(tagsChangedBy(domainOfTopic(topic), event)),
        ),
      );
    }
  }

  async stop(): Promise<void> {
    clearTimeout(this.settleTimer);
    for (const s of this.subscriptions.splice(0)) await s.close();
  }

  /** Evicts now and once more after the settle delay (see the file comment). */
  invalidate(tags: readonly string[]): void {
    this.store.evict(tags);
    for (const t of tags) this.settling.add(t);
    this.settleTimer ??= setTimeout(() => {
      this.settleTimer = undefined;
      const again = [...this.settling];
      this.settling.clear();
      this.store.evict(again);
    }, this.opts.settleMs).unref();
  }

  /** The Apollo plugin; it subscribes to the events of these subgraphs' domains as the server starts. */
  plugin(subgraphNames: readonly string[]): ApolloServerPlugin<GatewayContext> {
    return {
      serverWillStart: async () => {
        await this.start(subgraphNames);
        return { serverWillStop: () => this.stop() };
      },
      requestDidStart: async () => this.requestListener(),
    };
  }

  private requestListener(): GraphQLRequestListener<GatewayContext> {
    let outcome: Outcome | undefined;
    return {
      responseForOperation: async (rc) => {
        const mutation = rc.operation.operation !== 'query';
        const anonymous = !rc.request.http?.headers.get('authorization') && !rc.contextValue.identity;
        if (mutation || !anonymous || this.isPrivate(rc.document, rc.schema)) {
          outcome = { kind: 'bypass', mutation };
          return null;
        }
        const key = this.keyOf(rc.document, rc.operationName, rc.request.variables, rc.contextValue.locale);
        const cached = this.store.get(key);
        if (!cached) {
          outcome = { kind: 'miss', key, since: this.store.mark() };
          return null;
        }
        outcome = { kind: 'hit' };
        // Another spelling of a cached operation: the next request spelled like this skips Apollo.
        const raw = rawKeyOf(rc.request, rc.contextValue.locale);
        if (raw) this.aliases.set(raw, key);
        return {
          http: { status: undefined, headers: new HeaderMap() },
          body: { kind: 'single', singleResult: { data: cached.data } },
        };
      },
      willSendResponse: async (rc) => {
        rc.response.http.headers.set(CACHE_HEADER, outcome?.kind ?? 'bypass');
        if (!outcome || outcome.kind === 'hit') return;
        const fetched = this.fetches.of(rc.contextValue);
        if (outcome.kind === 'bypass') {
          // Whatever the mutation changed (it may have failed half-way: evict anyway).
          if (outcome.mutation)
            for (const s of fetched.subgraphs) if (!PRIVATE_SUBGRAPHS.has(s)) this.invalidate(tagsChangedBy(s));
          return;
        }
        const body = rc.response.body;
        if (body.kind !== 'single' || body.singleResult.errors?.length || !body.singleResult.data) return;
        if ([...fetched.subgraphs].some((s) => PRIVATE_SUBGRAPHS.has(s))) return;
        const data = body.singleResult.data;
        const stored = this.store.set(
          outcome.key,
          { data, tags: [...fetched.tags], body: JSON.stringify({ data }) },
          outcome.since,
        );
        const raw = rawKeyOf(rc.request, rc.contextValue.locale);
        if (stored && raw) this.aliases.set(raw, outcome.key);
      },
    };
  }

  /** Normalized document (printed once per parsed document), operation, variables and locale. */
  private keyOf(
    document: DocumentNode,
    operationName: string | null | undefined,
    variables: Record<string, unknown> | undefined,
    locale: string,
  ): string {
    let text = this.printed.get(document);
    if (text === undefined) this.printed.set(document, (text = print(document)));
    return createHash('sha256')
      .update(text)
      .update('\0')
      .update(operationName ?? '')
      .update('\0')
      .update(stableJson(variables ?? {}))
      .update('\0')
      .update(locale)
      .digest('base64url');
  }

  private isPrivate(document: DocumentNode, schema: GraphQLSchema): boolean {
    let answer = this.privateDocuments.get(document);
    if (answer !== undefined) return answer;
    answer = false;
    const info = new TypeInfo(schema);
    const rootTypes = new Set([schema.getQueryType()?.name]);
    visit(
      document,
      visitWithTypeInfo(info, {
        Field(node) {
          const parent = info.getParentType()?.name;
          const type = info.getType();
          if (
            (parent && rootTypes.has(parent) && PRIVATE_ROOT_FIELDS.has(node.name.value)) ||
            (parent && PRIVATE_TYPES.has(parent)) ||
            (type && PRIVATE_TYPES.has(getNamedType(type).name))
          )
            answer = true;
        },
      }),
    );
    this.privateDocuments.set(document, answer);
    return answer;
  }
}

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` variables share an entry. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
