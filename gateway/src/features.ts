// Gateway features, one module per concern, wired in one place.
import type { ApolloServerPlugin } from '@apollo/server';
import express from 'express';
import type { GatewayContext } from './context';
import { unguarded } from './datasources/guarded-subgraph';
import { measuredSubgraphs } from './datasources/measured-subgraph';
import { mountGraphiQL } from './graphiql/graphiql-route';
import type { FeatureContext } from './host';
import { operationLimitsPlugin } from './plugins/limits-plugin';
import { schemaVisibility } from './plugins/schema-visibility';
import { OperationLimits, operationLimitsFromConfig } from './plugins/operation-limits';
import { rateLimitMiddleware } from './plugins/rate-limit';
import { CachePolicies } from './plugins/cache-policy';
import { ResponseCache, responseCacheOptionsFromConfig } from './plugins/response-cache';
import { createRateLimits, type GatewayRateLimits } from './plugins/rate-limiter';
import { CostModel } from './plugins/query-cost';
import type { GatewayServerOptions } from './server';
import { FederatedSubscriptions } from './subscriptions/federated-subscriptions';
import { refuseSubscriptionsOverHttp } from './subscriptions/refuse-over-http';
import { SubgraphStreams } from './subscriptions/subgraph-streams';
import { sampleSubscriptions } from './subscriptions/subscription-metrics';
import { SubscriptionPlanner } from './subscriptions/subscription-planner';
import { subscriptionBoundsFromConfig, subscriptionTransport } from './subscriptions/websocket-transport';

export function gatewayFeatures(ctx: FeatureContext): Partial<GatewayServerOptions> {
  const { config, logger } = ctx;
  const moduleRoutes = Object.values(ctx.modules)
    .map((m) => m?.routes)
    .filter((r): r is NonNullable<typeof r> => !!r);

  // Request limits: the same checks and budgets for HTTP operations and WebSocket subscriptions;
  // what each field costs is declared by its subgraph (@cost, @listSize in the supergraph).
  const limits = new OperationLimits(operationLimitsFromConfig(config), CostModel.fromSupergraph(ctx.supergraphSdl));
  const rateLimits = createRateLimits(config, logger);

  // Subscriptions: planned by Apollo's query planner, run per event through the real data sources.
  const planner = new SubscriptionPlanner(ctx.supergraphSdl);
  // Upstream subscriptions are opened on the subgraphs' own WebSocket endpoints, not through the guard.
  const streams = new SubgraphStreams(ctx.modules, unguarded(ctx.subgraphs));
  // What the subgraphs declare cacheable (@cacheControl): the response cache's policy, and which
  // subscriptions every caller may share.
  const policies = CachePolicies.fromSupergraph(ctx.supergraphSdl);
  // Each event's fetches are measured like a query plan's (gateway_subgraph_fetch_*).
  const executor = new FederatedSubscriptions(planner, measuredSubgraphs(ctx.subgraphs), streams, logger, {
    maxQueuedEvents: config.SUBSCRIPTION_MAX_QUEUED_EVENTS,
    policies,
  });
  const attachSubscriptions = subscriptionTransport({
    schema: planner.apiGraphQLSchema,
    verifier: ctx.verifier,
    limits,
    limiter: rateLimits.requests,
    costBudget: rateLimits.cost,
    executor,
    logger,
    maxPayloadBytes: config.MAX_BODY_BYTES,
    mayExploreSchema: schemaVisibility(config.graphiql),
    bounds: subscriptionBoundsFromConfig(config),
  });

  // Response cache: its data sources log each fetch so an answer is tagged with what it read.
  // What may be cached, and for how long, is what the subgraphs declared (@cacheControl).
  const responseCacheOptions = responseCacheOptionsFromConfig(config, {
    bus: ctx.deps.bus,
    logger,
    policies,
  });
  const responseCache = responseCacheOptions && new ResponseCache(responseCacheOptions);

  return {
    plugins: [
      operationLimitsPlugin(limits, rateLimits.cost),
      refuseSubscriptionsOverHttp(),
      closeOnStop(rateLimits),
      ...(responseCache ? [responseCache.plugin(Object.keys(ctx.subgraphs))] : []),
    ],
    ...(responseCache ? { subgraphs: responseCache.wrapSubgraphs(ctx.subgraphs) } : {}),
    routes: (app) => {
      // Always: in production staff use it with their token (introspection is staff-only there).
      mountGraphiQL(app); // GET with Accept: text/html only; not rate-limited
      app.use('/graphql', rateLimitMiddleware(rateLimits, ctx.verifier));
      if (responseCache) app.use('/graphql', express.json({ limit: config.MAX_BODY_BYTES }), responseCache.fastPath());
      moduleRoutes.forEach((r) => r(app));
    },
    attach: async (httpServer) => {
      const detach = await attachSubscriptions(httpServer);
      const stopSampling = sampleSubscriptions(attachSubscriptions.status);
      return async () => {
        stopSampling();
        await detach();
      };
    },
    status: {
      subscriptions: () => ({ ...attachSubscriptions.status(), shared: executor.stats() }),
      operations: () => ({ clientsWithOperationsInFlight: rateLimits.inFlight.clients }),
    },
  };
}

function closeOnStop(rateLimits: GatewayRateLimits): ApolloServerPlugin<GatewayContext> {
  return {
    async serverWillStart() {
      return { serverWillStop: () => rateLimits.close() };
    },
  };
}
