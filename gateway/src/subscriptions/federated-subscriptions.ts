// Runs a federated subscription: opens `primary` on the owning subgraph, and for each event
// executes the plan `Sequence [event as primary's result, rest]` with the real data sources,
// so the client gets its whole selection — other subgraphs' fields included — per event,
// shaped by the gateway's own post-processing.
import { executeQueryPlan, type GraphQLDataSource } from '@apollo/gateway';
import type { Logger } from '@grocery/platform';
import type { GatewayGraphQLRequestContext, GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { GraphQLError, getOperationAST, type DocumentNode, type ExecutionResult } from 'graphql';
import type { GatewayContext } from '../context';
import { EVENT_SOURCE, type SubscriptionPlan, type SubscriptionPlanner } from './subscription-planner';
import type { ConnectionStreams, UpstreamEvent } from './subgraph-streams';

export interface FederatedSubscriptionRequest {
  source: string;
  document: DocumentNode;
  operationName?: string | null;
  variables: Record<string, unknown>;
  caller: GatewayContext;
  streams: ConnectionStreams;
}

export type SubscriptionResult = AsyncIterableIterator<ExecutionResult> | ExecutionResult;

export class FederatedSubscriptions {
  constructor(
    private readonly planner: SubscriptionPlanner,
    private readonly subgraphs: Record<string, GraphQLDataSource<GatewayContext>>,
    private readonly logger: Logger,
  ) {}

  async subscribe(req: FederatedSubscriptionRequest): Promise<SubscriptionResult> {
    const plan = this.planner.plan(req.source, req.document, req.operationName);
    const variables: Record<string, unknown> = {};
    for (const name of plan.primary.variableUsages ?? []) {
      if (req.variables[name] !== undefined) variables[name] = req.variables[name];
    }
    const upstream = await req.streams.open(plan.primary.serviceName, {
      query: plan.primary.operation,
      operationName: plan.primary.operationName,
      variables,
    });
    if (!isAsyncIterator(upstream)) return upstream as ExecutionResult; // refused at subscribe
    return mapEvents(upstream, (event) => this.resolveEvent(plan, req, event));
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

/**
 * Maps upstream events to per-event results. Hand-written rather than an async generator:
 * `return()` on a generator waits until it next yields, whereas a client that completes must
 * close the upstream at once, even while it waits for the next stock change.
 */
function mapEvents(
  upstream: AsyncIterator<UpstreamEvent>,
  resolve: (event: UpstreamEvent) => Promise<ExecutionResult>,
): AsyncIterableIterator<ExecutionResult> {
  let closed = false;
  const done = (): IteratorResult<ExecutionResult> => ({ done: true, value: undefined });
  const close = async () => {
    if (closed) return;
    closed = true;
    await upstream.return?.();
  };
  return {
    async next() {
      if (closed) return done();
      let step: IteratorResult<UpstreamEvent>;
      try {
        step = await upstream.next();
      } catch (err) {
        // graphql-ws clients reject with the subgraph's error list (or a close event).
        await close();
        if (Array.isArray(err)) return { done: false, value: { errors: err.map(toGraphQLError) } };
        throw err instanceof Error ? err : new Error('The subgraph subscription ended unexpectedly.');
      }
      if (step.done || closed) {
        closed = true;
        return done();
      }
      const value = await resolve(step.value);
      return closed ? done() : { done: false, value };
    },
    async return() {
      await close();
      return done();
    },
    async throw(err?: unknown) {
      await close();
      throw err;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

function toGraphQLError(e: { message?: string; extensions?: Record<string, unknown> }): GraphQLError {
  return e instanceof GraphQLError ? e : new GraphQLError(e.message ?? 'Subgraph error', { extensions: e.extensions });
}
