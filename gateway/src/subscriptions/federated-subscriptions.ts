// Runs federated subscriptions: opens `primary` on the owning subgraph, and for each event
// executes the plan `Sequence [event as primary's result, rest]` with the real data sources,
// so the client gets its whole selection — other subgraphs' fields included — per event,
// shaped by the gateway's own post-processing. Subscribers asking for the same selection with
// the same variables, language and caller scope share one group (subscription-group.ts): one
// upstream subscription, one resolution per event, every subscriber served as soon as it is done.
import { executeQueryPlan, type GraphQLDataSource } from '@apollo/gateway';
import type { Logger } from '@grocery/platform';
import type { GatewayGraphQLRequestContext, GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { getOperationAST, print, type DocumentNode, type ExecutionResult } from 'graphql';
import type { GatewayContext } from '../context';
import { isSharedCacheable, type CachePolicies } from '../plugins/cache-policy';
import { stableJson } from '../plugins/response-cache';
import { SubscriptionGroup } from './subscription-group';
import { EVENT_SOURCE, type SubscriptionPlan, type SubscriptionPlanner } from './subscription-planner';
import type { SubgraphStreams, UpstreamEvent } from './subgraph-streams';

export interface FederatedSubscriptionRequest {
  source: string;
  document: DocumentNode;
  operationName?: string | null;
  variables: Record<string, unknown>;
  caller: GatewayContext;
}

export type SubscriptionResult = AsyncIterableIterator<ExecutionResult> | ExecutionResult;

export interface FederatedSubscriptionOptions {
  /** Events a subscriber may leave unread before it is ended (SLOW_SUBSCRIBER). */
  maxQueuedEvents: number;
  /** The subgraphs' cache hints: a selection they declare public is shared by every caller. */
  policies?: CachePolicies;
}

/**
 * Who may share a group: subscribers whose answers cannot differ. When the subgraphs declare
 * everything the subscription selects public (`@cacheControl`: PUBLIC, maxAge > 0), everyone
 * does, and events are resolved without anyone's credentials. Otherwise anonymous callers share
 * with each other, and a signed-in caller only with their own other subscriptions (same user,
 * same roles), since a subgraph may answer per user (a customer sees only their own orders).
 */
export function shareScope(caller: GatewayContext, selectionIsPublic = false): string {
  if (selectionIsPublic) return 'public';
  const id = caller.identity;
  return id ? `user:${id.userId}:${[...id.roles].sort().join(',')}` : 'anonymous';
}

/** The caller a public group resolves its events as: nobody in particular. */
function publicCaller(caller: GatewayContext): GatewayContext {
  return { locale: caller.locale, clientKey: 'gateway:public-subscription' };
}

interface GroupEntry {
  group: SubscriptionGroup<UpstreamEvent>;
  /** Whose credentials resolve the next event (all members share one scope). */
  caller: GatewayContext;
}

export class FederatedSubscriptions {
  private readonly groups = new Map<string, GroupEntry>();
  private readonly printed = new WeakMap<DocumentNode, string>();

  constructor(
    private readonly planner: SubscriptionPlanner,
    private readonly subgraphs: Record<string, GraphQLDataSource<GatewayContext>>,
    private readonly streams: SubgraphStreams,
    private readonly logger: Logger,
    private readonly options: FederatedSubscriptionOptions,
  ) {}

  /** Live groups and their subscribers (for /status and tests). */
  stats(): { groups: number; subscribers: number } {
    let subscribers = 0;
    for (const { group } of this.groups.values()) subscribers += group.size;
    return { groups: this.groups.size, subscribers };
  }

  /**
   * Joins the group for this selection, variables, language and caller scope, creating it (and
   * its upstream subscription) when it is the first.
   */
  async subscribe(req: FederatedSubscriptionRequest): Promise<SubscriptionResult> {
    const plan = this.planner.plan(req.source, req.document, req.operationName);
    const policies = this.options.policies;
    const selectionIsPublic =
      !!policies && isSharedCacheable(policies.ofSelection(this.planner.apiGraphQLSchema, req.document));
    if (selectionIsPublic) req = { ...req, caller: publicCaller(req.caller) };
    const key = this.groupKey(req, selectionIsPublic);
    let entry = this.groups.get(key);
    if (entry?.group.open) {
      // The newest subscriber's credentials (a fresher token) resolve the group's next events.
      entry.caller = req.caller;
    } else {
      entry = this.createGroup(key, plan, req);
      this.groups.set(key, entry);
    }
    return entry.group.join();
  }

  private createGroup(key: string, plan: SubscriptionPlan, req: FederatedSubscriptionRequest): GroupEntry {
    // The group's own upstream sockets, opened as its first subscriber: every member has the
    // same scope, and the upstream outlives whichever member leaves first.
    const upstream = this.streams.forConnection(req.caller);
    const variables: Record<string, unknown> = {};
    for (const name of plan.primary.variableUsages ?? []) {
      if (req.variables[name] !== undefined) variables[name] = req.variables[name];
    }
    const entry = { caller: req.caller } as GroupEntry;
    entry.group = new SubscriptionGroup<UpstreamEvent>(
      {
        open: async () => {
          const opened = await upstream.open(plan.primary.serviceName, {
            query: plan.primary.operation,
            operationName: plan.primary.operationName,
            variables,
          });
          return isAsyncIterator(opened) ? opened : (opened as ExecutionResult);
        },
        resolve: (event) => this.resolveEvent(plan, { ...req, caller: entry.caller }, event),
        close: () => upstream.close(),
      },
      {
        maxQueuedEvents: this.options.maxQueuedEvents,
        onClosed: (closed) => {
          if (this.groups.get(key)?.group === closed) this.groups.delete(key);
        },
      },
    );
    return entry;
  }

  private groupKey(req: FederatedSubscriptionRequest, selectionIsPublic: boolean): string {
    let text = this.printed.get(req.document);
    if (text === undefined) this.printed.set(req.document, (text = print(req.document)));
    return [
      shareScope(req.caller, selectionIsPublic),
      req.caller.locale,
      req.operationName ?? '',
      text,
      stableJson(req.variables),
    ].join('\0');
  }

  private async resolveEvent(
    plan: SubscriptionPlan,
    req: FederatedSubscriptionRequest,
    event: UpstreamEvent,
  ): Promise<ExecutionResult> {
    const eventSource: GraphQLDataSource = { process: async () => event as GatewayGraphQLResponse };
    const operation = getOperationAST(req.document, req.operationName)!;
    const requestContext = {
      request: { query: req.source, variables: req.variables, operationName: req.operationName ?? undefined },
      context: req.caller,
      logger: this.logger,
      schema: this.planner.apiGraphQLSchema,
      document: req.document,
      source: req.source,
      operation,
      operationName: req.operationName ?? null,
      metrics: {},
      overallCachePolicy: undefined,
    } as unknown as GatewayGraphQLRequestContext<GatewayContext>;
    const result = await executeQueryPlan(
      plan.perEvent,
      { ...this.subgraphs, [EVENT_SOURCE]: eventSource } as never,
      requestContext as never,
      plan.operationContext,
      this.planner.supergraphGraphQLSchema,
      this.planner.apiSchema,
    );
    return result as ExecutionResult;
  }
}

function isAsyncIterator(value: unknown): value is AsyncIterator<UpstreamEvent> {
  return typeof (value as AsyncIterator<unknown> | undefined)?.next === 'function';
}
