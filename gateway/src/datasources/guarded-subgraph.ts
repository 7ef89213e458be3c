// A remote subgraph behind a per-fetch timeout and a circuit breaker. A fetch that cannot be
// answered (refused, reset, timed out, an unreadable answer, or the breaker open) does not
// throw: it answers with SUBGRAPH_UNAVAILABLE errors on the paths it would have filled, so
// the gateway nulls just those fields (the fields one subgraph adds to another's entity are
// nullable) and keeps the rest of the answer. @apollo/gateway, given a thrown error instead,
// adds it without a path and masks it as INTERNAL_SERVER_ERROR.
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
// Not re-exported by the package's index.
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { ErrorCode, type Config, type Logger } from '@grocery/platform';
import {
  getOperationAST,
  Kind,
  parse,
  type DocumentNode,
  type GraphQLFormattedError,
  type SelectionSetNode,
} from 'graphql';
import type { GatewayContext } from '../context';
import { CircuitBreaker, type BreakerState } from './circuit-breaker';
import { withoutDeduplication } from './deduplicated-subgraph';

export interface GuardOptions {
  /** A fetch slower than this fails (and the request to the subgraph is aborted). */
  timeoutMs: number;
  failureThreshold: number;
  coolDownMs: number;
  logger: Logger;
  now?: () => number;
}

export function guardOptionsFromConfig(config: Config, logger: Logger): GuardOptions {
  return {
    timeoutMs: config.SUBGRAPH_TIMEOUT_MS,
    failureThreshold: config.SUBGRAPH_BREAKER_FAILURES,
    coolDownMs: config.SUBGRAPH_BREAKER_COOLDOWN_MS,
    logger,
  };
}

/** Why a fetch got no answer. */
export type UnavailableReason = 'circuit_open' | 'unreachable' | 'timeout' | 'bad_response';

/** What the wrapped data source is also given: aborted when the fetch times out. */
export type GuardedProcessOptions = GraphQLDataSourceProcessOptions<GatewayContext> & { signal?: AbortSignal };

export interface RemoteSubgraphStatus {
  location: 'remote';
  /** A live `{ __typename }` round trip just now (cached for a second). */
  reachable: boolean;
  /** Round-trip time of that probe, when it answered. */
  latencyMs?: number;
  breaker: BreakerState;
  consecutiveFailures: number;
  /** While open: when the next probe may go through. */
  retryAt?: string;
  lastError?: { reason: UnavailableReason; code?: string; at: string };
  lastSuccessAt?: string;
  /** Latency of the last fetch that was answered. */
  lastFetchLatencyMs?: number;
  /** Since start: fetches sent, fetches that failed, fetches failed fast by the open breaker. */
  fetches: number;
  failures: number;
  shortCircuited: number;
}

/** Socket-level failures: the subgraph is down or the path to it is. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
]);

class FetchTimeout extends Error {}

function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') return code;
  const cause = (err as { cause?: unknown } | undefined)?.cause;
  return cause && cause !== err ? errorCode(cause) : undefined;
}

function classify(err: unknown): { reason: UnavailableReason; code?: string } {
  if (err instanceof FetchTimeout) return { reason: 'timeout' };
  const code = errorCode(err);
  if (code === 'UND_ERR_ABORTED' || (err as Error | undefined)?.name === 'AbortError') return { reason: 'timeout' };
  if (code && UNREACHABLE_CODES.has(code)) return { reason: 'unreachable', code };
  return { reason: 'bad_response', ...(code ? { code } : {}) };
}

function messageFor(subgraph: string, reason: UnavailableReason, timeoutMs: number): string {
  switch (reason) {
    case 'circuit_open':
      return `The ${subgraph} service is unavailable (it failed repeatedly; retrying shortly). This part of the answer is missing.`;
    case 'timeout':
      return `The ${subgraph} service did not answer within ${timeoutMs} ms. This part of the answer is missing.`;
    case 'unreachable':
      return `The ${subgraph} service cannot be reached. This part of the answer is missing.`;
    case 'bad_response':
      return `The ${subgraph} service sent an answer that could not be read. This part of the answer is missing.`;
  }
}

/** The entity fields asked for, per type condition ('' for fields outside any fragment). */
function entityFields(selectionSet: SelectionSetNode | undefined): Map<string, string[]> {
  const byType = new Map<string, string[]>();
  const add = (type: string, name: string) => byType.set(type, [...(byType.get(type) ?? []), name]);
  for (const sel of selectionSet?.selections ?? []) {
    if (sel.kind === Kind.FIELD) {
      if (sel.name.value !== '__typename') add('', (sel.alias ?? sel.name).value);
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      for (const inner of sel.selectionSet.selections) {
        if (inner.kind === Kind.FIELD && inner.name.value !== '__typename')
          add(sel.typeCondition?.name.value ?? '', (inner.alias ?? inner.name).value);
      }
    }
  }
  return byType;
}

/**
 * The response paths (relative to the fetch) that a failed fetch leaves empty: each root field,
 * or for an entity fetch each requested field of each representation. @apollo/gateway turns
 * `_entities.<i>.<field>` into that entity's place in the client's answer.
 */
export function unansweredPaths(document: DocumentNode, variables: Record<string, unknown> | undefined) {
  const operation = getOperationAST(document);
  const paths: (string | number)[][] = [];
  for (const sel of operation?.selectionSet.selections ?? []) {
    if (sel.kind !== Kind.FIELD || sel.name.value === '__typename') continue;
    if (sel.name.value !== '_entities') {
      paths.push([(sel.alias ?? sel.name).value]);
      continue;
    }
    const fields = entityFields(sel.selectionSet);
    const representations = Array.isArray(variables?.representations) ? variables.representations : [];
    representations.forEach((rep, i) => {
      const typename = (rep as { __typename?: unknown } | null)?.__typename;
      const names = [...(fields.get('') ?? []), ...(fields.get(typeof typename === 'string' ? typename : '') ?? [])];
      for (const name of names) paths.push([(sel.alias ?? sel.name).value, i, name]);
    });
  }
  return paths;
}

export class GuardedSubgraph implements GraphQLDataSource<GatewayContext> {
  readonly breaker: CircuitBreaker;
  private readonly now: () => number;
  private lastError?: RemoteSubgraphStatus['lastError'];
  private lastSuccessAt?: number;
  private lastFetchLatencyMs?: number;
  private fetches = 0;
  private failures = 0;
  private shortCircuited = 0;
  private probe?: { at: number; result: Promise<{ reachable: boolean; latencyMs?: number }> };

  constructor(
    readonly name: string,
    readonly inner: GraphQLDataSource<GatewayContext>,
    private readonly options: GuardOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.breaker = new CircuitBreaker({
      failureThreshold: options.failureThreshold,
      coolDownMs: options.coolDownMs,
      now: this.now,
    });
  }

  async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    if (options.kind !== GraphQLDataSourceRequestKind.INCOMING_OPERATION) return this.inner.process(options);
    if (!this.breaker.tryAcquire()) {
      this.shortCircuited++;
      return this.unavailable(options, 'circuit_open');
    }
    this.fetches++;
    const started = performance.now();
    try {
      const response = await this.withTimeout(options, this.options.timeoutMs);
      this.breaker.recordSuccess();
      this.lastSuccessAt = this.now();
      this.lastFetchLatencyMs = Math.round(performance.now() - started);
      return response;
    } catch (err) {
      this.breaker.recordFailure();
      this.failures++;
      const { reason, code } = classify(err);
      this.lastError = { reason, ...(code ? { code } : {}), at: new Date(this.now()).toISOString() };
      this.options.logger.warn(
        { err, subgraph: this.name, reason, breaker: this.breaker.state },
        'subgraph fetch failed; answering without its fields',
      );
      return this.unavailable(options, reason);
    }
  }

  /** Reachability right now (one `{ __typename }` round trip, shared by callers within a second), and the breaker's view. */
  async status(): Promise<RemoteSubgraphStatus> {
    const now = this.now();
    if (!this.probe || now - this.probe.at >= 1_000) this.probe = { at: now, result: this.probeOnce() };
    const { reachable, latencyMs } = await this.probe.result;
    const retryAt = this.breaker.retryAt;
    return {
      location: 'remote',
      reachable,
      ...(latencyMs !== undefined ? { latencyMs } : {}),
      breaker: this.breaker.state,
      consecutiveFailures: this.breaker.consecutiveFailures,
      ...(retryAt !== undefined && this.breaker.state === 'open' ? { retryAt: new Date(retryAt).toISOString() } : {}),
      ...(this.lastError ? { lastError: this.lastError } : {}),
      ...(this.lastSuccessAt !== undefined ? { lastSuccessAt: new Date(this.lastSuccessAt).toISOString() } : {}),
      ...(this.lastFetchLatencyMs !== undefined ? { lastFetchLatencyMs: this.lastFetchLatencyMs } : {}),
      fetches: this.fetches,
      failures: this.failures,
      shortCircuited: this.shortCircuited,
    };
  }

  // Outside the breaker: it reports what is true now, and never decides for traffic.
  private async probeOnce(): Promise<{ reachable: boolean; latencyMs?: number }> {
    const started = performance.now();
    try {
      const response = await this.withTimeout(
        {
          kind: GraphQLDataSourceRequestKind.HEALTH_CHECK,
          request: { query: 'query __status { __typename }' },
          context: { locale: 'en', clientKey: 'gateway:status' },
        },
        Math.min(this.options.timeoutMs, 2_000),
      );
      if (!response.data) return { reachable: false };
      return { reachable: true, latencyMs: Math.round(performance.now() - started) };
    } catch {
      return { reachable: false };
    }
  }

  private async withTimeout(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
    timeoutMs: number,
  ): Promise<GatewayGraphQLResponse> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new FetchTimeout(`no answer within ${timeoutMs} ms`));
        controller.abort();
      }, timeoutMs);
    });
    try {
      const guarded: GuardedProcessOptions = { ...options, signal: controller.signal };
      return await Promise.race([this.inner.process(guarded), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  private unavailable(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
    reason: UnavailableReason,
  ): GatewayGraphQLResponse {
    const message = messageFor(this.name, reason, this.options.timeoutMs);
    const retryAt = this.breaker.retryAt;
    const extensions = {
      code: ErrorCode.SUBGRAPH_UNAVAILABLE,
      subgraph: this.name,
      reason,
      ...(reason === 'circuit_open' && retryAt !== undefined
        ? { retryAfterSeconds: Math.max(1, Math.ceil((retryAt - this.now()) / 1000)) }
        : {}),
    };
    let paths: (string | number)[][] = [];
    try {
      const given = options.kind === GraphQLDataSourceRequestKind.INCOMING_OPERATION ? options.document : undefined;
      const document = given ?? parse(options.request.query ?? '');
      paths = unansweredPaths(document, options.request.variables);
    } catch {
      // No readable operation: one error without a path still tells the client what is missing.
    }
    const errors: GraphQLFormattedError[] =
      paths.length > 0 ? paths.map((path) => ({ message, path, extensions })) : [{ message, extensions }];
    return { data: null, errors };
  }
}

/** The data sources as they were before guarding (subscriptions need the HTTP subgraph's URL). */
export function unguarded(
  subgraphs: Record<string, GraphQLDataSource<GatewayContext>>,
): Record<string, GraphQLDataSource<GatewayContext>> {
  return Object.fromEntries(
    Object.entries(subgraphs).map(([name, wrapped]) => {
      const ds = withoutDeduplication(wrapped);
      return [name, ds instanceof GuardedSubgraph ? ds.inner : ds];
    }),
  );
}
