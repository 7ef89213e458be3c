// Response cache for public reads: anonymous query operations whose cache policy, declared by the
// subgraphs (`@cacheControl`, cache-policy.ts), is PUBLIC with a maxAge above 0 are answered
// from this replica's memory for at most that maxAge (and RESPONSE_CACHE_TTL_SECONDS), or until
// an event changes what they read. What no subgraph declared is never stored.
//
// Invalidation, per entry (tags the subgraphs report with their answers, response-cache-tags.ts):
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
import {
  cacheTagsOfEvent,
  countAnsweredOperation,
  countCacheLookups,
  counter,
  parseLocale,
  rootFieldOf,
  topicFor,
  type Bus,
  type Config,
  type Logger,
  type Subscription,
} from '@grocery/platform';
import type { RequestHandler } from 'express';
import { LRUCache } from 'lru-cache';
import { print, type DocumentNode } from 'graphql';
import type { GatewayContext } from '../context';
import { CachePolicies, isSharedCacheable } from './cache-policy';
import { ResponseCacheStore } from './response-cache-store';
import { domainOfTag, FetchLog } from './response-cache-tags';

export const CACHE_HEADER = 'x-cache';
/** Its name in cache_lookups_total (bypassed requests, not cacheable, are not lookups). */
const RESPONSE_CACHE = 'gateway:response';

// A fast-path answer is an operation like any other in gateway_operation_* (same labels, so
// rates, error ratios and latency quantiles stay whole), and is counted here too: a separate
// counter rather than a label on those series, which would double the histogram's buckets and
// change the label sets existing queries and rules match on.
const fastPathAnswers = counter({
  name: 'gateway_response_cache_fast_path_total',
  help: 'Operations answered by the response cache before Apollo ran (also in gateway_operations_total).',
  labelNames: ['operation', 'type', 'root_field'],
});

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

export interface ResponseCacheOptions {
  ttlMs: number;
  maxEntries: number;
  maxBytes: number;
  settleMs: number;
  bus: Bus;
  logger: Logger;
  /** The subgraphs' cache hints (CachePolicies.fromSupergraph). */
  policies: CachePolicies;
}

export function responseCacheOptionsFromConfig(
  config: Config,
  deps: { bus: Bus; logger: Logger; policies: CachePolicies },
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

type Outcome =
  { kind: 'bypass'; mutation: boolean } | { kind: 'hit' } | { kind: 'miss'; key: string; since: number; ttlMs: number };

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
  /** Domains whose topic this replica listens to (an entry is only stored once they all are). */
  private readonly watched = new Map<string, Promise<void>>();
  private readonly listening = new Set<string>();
  private stopped = false;
  private readonly settling = new Set<string>();
  private settleTimer?: NodeJS.Timeout;
  private readonly printed = new WeakMap<DocumentNode, string>();

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
      const started = performance.now();
      if (req.method !== 'POST' || req.headers.authorization || !req.is('application/json')) return next();
      const key = this.aliases.get(rawKeyOf(req.body, parseLocale(req.headers['accept-language'])) ?? '');
      const entry = key === undefined ? undefined : this.store.get(key);
      if (!entry) return next();
      countCacheLookups(RESPONSE_CACHE, 1, 0);
      res.status(200).set('content-type', 'application/json; charset=utf-8').set(CACHE_HEADER, 'hit').send(entry.body);
      const labels = countAnsweredOperation(
        { server: 'gateway' },
        {
          operationName: entry.operation?.name,
          type: 'query',
          rootField: entry.operation?.rootField ?? 'none',
          seconds: (performance.now() - started) / 1000,
        },
      );
      fastPathAnswers.inc(labels);
    };
  }

  /** The subgraphs' data sources, each logging its fetches (the tags of the response). */
  wrapSubgraphs(
    subgraphs: Record<string, GraphQLDataSource<GatewayContext>>,
  ): Record<string, GraphQLDataSource<GatewayContext>> {
    return Object.fromEntries(Object.entries(subgraphs).map(([name, ds]) => [name, this.fetches.wrap(name, ds)]));
  }

  /**
   * Listens to the composed subgraphs' topics from the start; other domains (one a subgraph's
   * answer depends on, e.g. orders for popularity) as their tags first appear.
   */
  async start(subgraphNames: Iterable<string>): Promise<void> {
    await Promise.all([...subgraphNames].map((name) => this.watch(name)));
  }

  /** Listens (a group per replica) to a domain's topic: its events evict what they change. */
  private watch(domain: string): Promise<void> {
    let watching = this.watched.get(domain);
    if (!watching) {
      watching = this.opts.bus
        .subscribe(
          topicFor(domain),
          { group: 'gateway.response-cache', from: 'latest', ephemeral: true },
          async (event) => this.invalidate(cacheTagsOfEvent(domain, event)),
        )
        .then(async (sub) => {
          if (this.stopped) return sub.close();
          this.subscriptions.push(sub);
          this.listening.add(domain);
        })
        .catch((err: unknown) => {
          this.watched.delete(domain); // the next answer tagged with it tries again
          this.opts.logger.warn({ err, domain }, 'response cache could not listen to a topic');
        });
      this.watched.set(domain, watching);
    }
    return watching;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.settleTimer);
    await Promise.allSettled(this.watched.values());
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
        const policy = this.opts.policies.of(rc.schema, rc.document);
        if (mutation || !anonymous || !isSharedCacheable(policy)) {
          outcome = { kind: 'bypass', mutation };
          return null;
        }
        const key = this.keyOf(rc.document, rc.operationName, rc.request.variables, rc.contextValue.locale);
        const cached = this.store.get(key);
        countCacheLookups(RESPONSE_CACHE, cached ? 1 : 0, cached ? 0 : 1);
        if (!cached) {
          outcome = { kind: 'miss', key, since: this.store.mark(), ttlMs: policy.maxAge * 1000 };
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
          // Whatever the mutation changed, in the domains it wrote to (it may have failed
          // half-way: evict anyway); the events that follow say more precisely.
          if (outcome.mutation) this.invalidate([...fetched.subgraphs].map((s) => `${s}/`));
          return;
        }
        const body = rc.response.body;
        if (body.kind !== 'single' || body.singleResult.errors?.length || !body.singleResult.data) return;
        const tags = [...fetched.tags];
        // Not stored until this replica hears every domain the answer depends on.
        const unheard = [...new Set(tags.map(domainOfTag))].filter((d) => !this.listening.has(d));
        if (unheard.length > 0) {
          for (const d of unheard) void this.watch(d);
          return;
        }
        const data = body.singleResult.data;
        const stored = this.store.set(
          outcome.key,
          {
            data,
            tags,
            body: JSON.stringify({ data }),
            operation: { name: rc.operationName ?? null, rootField: rootFieldOf(rc.operation) },
          },
          outcome.since,
          outcome.ttlMs,
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
