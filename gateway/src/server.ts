// The gateway's HTTP surface: /graphql (queries, mutations; GraphiQL in a browser;
// graphql-ws subscriptions on the same path), /healthz, /readyz, /status and /metrics.
import './telemetry-off';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway, type GraphQLDataSource } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import {
  ErrorCode,
  formatError,
  metricsHandler,
  observeRequests,
  operationScopePlugin,
  operationMetricsPlugin,
  type Config,
  type Logger,
  type TokenVerifier,
} from '@grocery/platform';
import express, { type NextFunction, type Request, type Response } from 'express';
import { GraphQLError, type ValidationRule } from 'graphql';
import { resolveCaller } from './auth';
import { measuredSubgraph } from './datasources/measured-subgraph';
import { corsMiddleware } from './plugins/cors';
import { schemaVisibility, schemaVisibilityPlugin } from './plugins/schema-visibility';
import type { GatewayContext } from './context';

export interface GatewayServerOptions {
  config: Config;
  logger: Logger;
  supergraphSdl: string;
  /** One data source per subgraph name in the supergraph. */
  subgraphs: Record<string, GraphQLDataSource<GatewayContext>>;
  verifier: TokenVerifier;
  /** Readiness of what the gateway depends on, by name. */
  readiness: () => Promise<Record<string, boolean>>;
  /** GET /status: sections for operators (each subgraph's reachability, subscriptions), by name. */
  status?: Record<string, () => Promise<unknown> | unknown>;
  /** Extra Apollo plugins and validation rules (limits, caching, ...). */
  plugins?: ApolloServerPlugin<GatewayContext>[];
  validationRules?: ValidationRule[];
  /** Extra routes mounted before /graphql (e.g. GraphiQL, JWKS). */
  routes?: (app: express.Express) => void;
  /** Attaches WebSocket handling (subscriptions) to the HTTP server. */
  attach?: (server: http.Server, apollo: { gateway: ApolloGateway }) => Promise<() => Promise<void>>;
}

export interface GatewayServer {
  url: string;
  httpServer: http.Server;
  gateway: ApolloGateway;
  stop(): Promise<void>;
}

function errorBody(code: string, message: string) {
  return { errors: [{ message, extensions: { code } }] };
}

export async function startGatewayServer(
  opts: GatewayServerOptions,
  port: number,
  host: string,
): Promise<GatewayServer> {
  const { config, logger } = opts;
  const gateway = new ApolloGateway({
    supergraphSdl: opts.supergraphSdl,
    buildService: ({ name }) => {
      const ds = opts.subgraphs[name];
      if (!ds) throw new Error(`No data source for subgraph "${name}"`);
      return measuredSubgraph(name, ds);
    },
    logger,
  });
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.TRUSTED_PROXIES);
  // First, so preflights are answered before any limit, and every answer (429s too) carries the headers.
  app.use(corsMiddleware(config));
  const httpServer = http.createServer(app);

  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    csrfPrevention: true,
    // Shutdown is ours (main.ts stops the platform): Apollo's own handler re-raises the signal.
    stopOnTerminationSignals: false,
    // Per caller: schemaVisibilityPlugin refuses __schema/__type and strips hints unless allowed.
    introspection: true,
    includeStacktraceInErrorResponses: false,
    formatError,
    validationRules: opts.validationRules,
    plugins: [
      // First, so its clock starts before any other plugin's work.
      operationMetricsPlugin<GatewayContext>({ server: 'gateway' }),
      operationScopePlugin<GatewayContext>(),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      schemaVisibilityPlugin(schemaVisibility(config.graphiql)),
      ...(opts.plugins ?? []),
    ],
    logger,
  });
  await apollo.start();
  const detach = opts.attach ? await opts.attach(httpServer, { gateway }) : undefined;

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const checks = await opts.readiness().catch(() => ({ readiness: false }));
    const ready = Object.values(checks).every(Boolean);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks });
  });
  // Prometheus scrapes it; keep it off the public ingress (README, Metrics).
  if (config.METRICS === 'on') app.get('/metrics', metricsHandler());
  app.get('/status', async (_req, res) => {
    const sections = await Promise.all(
      Object.entries(opts.status ?? {}).map(async ([name, read]) => {
        try {
          return [name, await read()] as const;
        } catch (err) {
          logger.warn({ err, section: name }, 'status section failed');
          return [name, { error: 'unavailable' }] as const;
        }
      }),
    );
    res.set('cache-control', 'no-store').json(Object.fromEntries(sections));
  });
  opts.routes?.(app);
  app.use(
    '/graphql',
    express.json({ limit: config.MAX_BODY_BYTES }),
    // After the body is read (stream events lose the async context). A new trace per request:
    // clients do not choose trace ids or sampling.
    observeRequests({ spanName: 'POST /graphql', continueTrace: false }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        try {
          return await resolveCaller(
            opts.verifier,
            req.headers.authorization,
            req.headers['accept-language'],
            req.ip ?? 'unknown',
          );
        } catch (err) {
          if (err instanceof GraphQLError) {
            throw new GraphQLError(err.message, { extensions: { ...err.extensions, http: { status: 401 } } });
          }
          throw err;
        }
      },
    }),
  );
  // Body-parser failures (malformed JSON, oversized body) become coded GraphQL errors.
  app.use((err: Error & { type?: string; status?: number }, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    if (err.type === 'entity.too.large')
      return res
        .status(413)
        .json(errorBody('PAYLOAD_TOO_LARGE', `Request body is larger than ${config.MAX_BODY_BYTES} bytes.`));
    if (err.type === 'entity.parse.failed')
      return res.status(400).json(errorBody('BAD_REQUEST', 'Request body is not valid JSON.'));
    if (err.status && err.status >= 400 && err.status < 500)
      return res.status(err.status).json(errorBody('BAD_REQUEST', 'The request could not be read.'));
    logger.error({ err }, 'unhandled gateway error');
    return res.status(500).json(errorBody(ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error'));
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, host, () => resolve());
  });
  const addr = httpServer.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${addr.port}/graphql`;
  return {
    url,
    httpServer,
    gateway,
    async stop() {
      await detach?.();
      await apollo.stop();
    },
  };
}
