// Gateway features, one module per concern, wired in one place.
import type { ApolloServerPlugin } from '@apollo/server';
import express from 'express';
import type { GatewayContext } from './context';
import { unguarded } from './datasources/guarded-subgraph';
import { mountGraphiQL } from './graphiql/graphiql-route';
import type { FeatureContext } from './host';
import { operationLimitsPlugin } from './plugins/limits-plugin';
import { schemaVisibility } from './plugins/schema-visibility';
import { OperationLimits, operationLimitsFromConfig } from './plugins/operation-limits';
import { rateLimitMiddleware } from './plugins/rate-limit';
import { ResponseCache, responseCacheOptionsFromConfig } from './plugins/response-cache';
import { createRateLimiter, type RateLimiter } from './plugins/rate-limiter';
import type { GatewayServerOptions } from './server';
import { FederatedSubscriptions } from './subscriptions/federated-subscriptions';
import { refuseSubscriptionsOverHttp } from './subscriptions/refuse-over-http';
import { SubgraphStreams } from './subscriptions/subgraph-streams';
import { SubscriptionPlanner } from './subscriptions/subscription-planner';
import { subscriptionBoundsFromConfig, subscriptionTransport } from './subscriptions/websocket-transport';

export function gatewayFeatures(ctx: FeatureContext): Partial<GatewayServerOptions> {
  const { config, logger } = ctx;
  const moduleRoutes = Object.values(ctx.modules)
    .map((m) => m?.routes)
    .filter((r): r is NonNullable<typeof r> => !!r);

  // Request limits: the same checks for HTTP operations and WebSocket subscriptions.
  const limits = new OperationLimits(operationLimitsFromConfig(config));
  const limiter = createRateLimiter(config, logger);

  // Subscriptions: planned by Apollo's query planner, run per event through the real data sources.
  const planner = new SubscriptionPlanner(ctx.supergraphSdl);
  // Upstream subscriptions are opened on the subgraphs' own WebSocket endpoints, not through the guard.
  const streams = new SubgraphStreams(ctx.modules, unguarded(ctx.subgraphs));
  const executor = new FederatedSubscriptions(planner, ctx.subgraphs, streams, logger, {
    maxQueuedEvents: config.SUBSCRIPTION_MAX_QUEUED_EVENTS,
  });
  const attachSubscriptions = subscriptionTransport({
    schema: planner.apiGraphQLSchema,
    verifier: ctx.verifier,
    limits,
    limiter,
    executor,
    logger,
    maxPayloadBytes: config.MAX_BODY_BYTES,
    mayExploreSchema: schemaVisibility(config.graphiql),
    bounds: subscriptionBoundsFromConfig(config),
  });

  // Response cache: its data sources log each fetch so an answer is tagged with what it read.
  const responseCacheOptions = responseCacheOptionsFromConfig(config, { bus: ctx.deps.bus, logger });
  const responseCache = responseCacheOptions && new ResponseCache(responseCacheOptions);

  return {
    plugins: [
      operationLimitsPlugin(limits),
      refuseSubscriptionsOverHttp(),
      closeOnStop(limiter),
      ...(responseCache ? [responseCache.plugin(Object.keys(ctx.subgraphs))] : []),
    ],
    ...(responseCache ? { subgraphs: responseCache.wrapSubgraphs(ctx.subgraphs) } : {}),
    routes: (app) => {
      // Always: in production staff use it with their token (introspection is staff-only there).
      mountGraphiQL(app); // GET with Accept: text/html only; not rate-limited
      app.use('/graphql', rateLimitMiddleware(limiter, ctx.verifier));
      if (responseCache) app.use('/graphql', express.json({ limit: config.MAX_BODY_BYTES }), responseCache.fastPath());
      moduleRoutes.forEach((r) => r(app));
    },
    attach: (httpServer) => attachSubscriptions(httpServer),
    status: { subscriptions: () => ({ ...attachSubscriptions.status(), shared: executor.stats() }) },
  };
}

function closeOnStop(limiter: RateLimiter): ApolloServerPlugin<GatewayContext> {
  return {
    async serverWillStart() {
      return { serverWillStop: () => limiter.close() };
    },
  };
}
