// Plans subscriptions with Apollo's query planner (the gateway plans them but refuses to run
// them): the `primary` fetch opens the stream on the owning subgraph, `rest` fetches the
// fields other subgraphs own. Plans are cached per (operation name, query text).
import { buildOperationContext } from '@apollo/gateway';
import { operationFromDocument, Supergraph, type Schema } from '@apollo/federation-internals';
import { QueryPlanner, type FetchNode, type PlanNode, type QueryPlan } from '@apollo/query-planner';
import { GraphQLError, type DocumentNode, type GraphQLSchema } from 'graphql';
import { LRUCache } from 'lru-cache';

/** The service name under which each event enters the per-event plan. */
type OperationContext = ReturnType<typeof buildOperationContext>;

export const EVENT_SOURCE = '__subscription_event__';

export interface SubscriptionPlan {
  /** The subscription to open on the owning subgraph. */
  primary: FetchNode;
  /** Executed once per event: the event (standing in for `primary`), then `rest`. */
  perEvent: QueryPlan;
  operationContext: OperationContext;
}

export class SubscriptionPlanner {
  readonly apiSchema: Schema;
  /** The client-facing schema (what subscriptions are validated against). */
  readonly apiGraphQLSchema: GraphQLSchema;
  readonly supergraphGraphQLSchema: GraphQLSchema;
  private readonly planner: QueryPlanner;
  private readonly plans = new LRUCache<string, SubscriptionPlan>({ max: 1000 });

  constructor(supergraphSdl: string) {
    const supergraph = Supergraph.build(supergraphSdl);
    this.planner = new QueryPlanner(supergraph);
    this.apiSchema = supergraph.apiSchema();
    this.apiGraphQLSchema = this.apiSchema.toGraphQLJSSchema();
    this.supergraphGraphQLSchema = supergraph.schema.toGraphQLJSSchema();
  }

  /** The plan for a validated subscription document. */
  plan(source: string, document: DocumentNode, operationName?: string | null): SubscriptionPlan {
    const key = `${operationName ?? ''}\u0000${source}`;
    const cached = this.plans.get(key);
    if (cached) return cached;
    const operation = operationFromDocument(this.apiSchema, document, { operationName: operationName ?? undefined });
    const queryPlan = this.planner.buildQueryPlan(operation);
    const node = queryPlan.node;
    if (node?.kind !== 'Subscription') throw new GraphQLError('Only subscription operations can be planned here.');
    const nodes: PlanNode[] = [{ ...node.primary, serviceName: EVENT_SOURCE }];
    if (node.rest) nodes.push(node.rest);
    const plan: SubscriptionPlan = {
      primary: node.primary,
      perEvent: { kind: 'QueryPlan', node: { kind: 'Sequence', nodes } },
      operationContext: buildOperationContext({
        schema: this.apiGraphQLSchema,
        operationDocument: document,
        operationName: operationName ?? undefined,
      }),
    };
    this.plans.set(key, plan);
    return plan;
  }
}
