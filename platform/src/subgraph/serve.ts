// Distributed mode: one subgraph as its own HTTP service. It answers only requests the gateway
// signed (auth/gateway-signature.ts), checked before any GraphQL work, over HTTP and graphql-ws.
// The gateway forwards the caller's bearer token; this service verifies it itself (never trusts
// an identity it did not check).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { GraphQLError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import {
  GATEWAY_SIGNATURE_HEADER,
  WEBSOCKET_SIGNATURE_METHOD,
  type ForwardedValues,
  type GatewaySignatureVerifier,
  type GatewayTrust,
  type SignatureRefusal,
} from '../auth/gateway-signature';
import { serviceIdentity } from '../auth/identity';
import { bearerToken, type TokenVerifier } from '../auth/token-verifier';
import { formatError, isClientError } from '../errors';
import { CACHE_TAGS_EXTENSION, cacheTagsOf, withCacheTags } from '../graphql/cache-control';
import { parseLocale } from '../locale';
import type { Logger } from '../logger';
import { metricsHandler, operationMetricsPlugin } from '../metrics';
import { observeRequests, operationScopePlugin } from '../tracing/request-scope';
import { CLIENT_KEY_HEADER, type RequestInfo, type SubgraphModule } from './module';
import { SERVICE_AUTHORIZATION_SCHEME } from './peer-client';

export interface ServeSubgraphOptions {
  port: number;
  host: string;
  verifier: TokenVerifier;
  /** Who may call: only the gateway (signed requests), or anyone (development). */
  trust: GatewayTrust;
  logger: Logger;
  maxBodyBytes?: number;
  routes?: (app: express.Express) => void;
  /** GET /metrics (config METRICS); default on. */
  metrics?: boolean;
}

export interface ServedSubgraph {
  url: string;
  stop(): Promise<void>;
}

const SERVICE_AUTHORIZATION = new RegExp(`^${SERVICE_AUTHORIZATION_SCHEME} ([a-z][a-z0-9]{0,30})$`);

async function requestInfo(
  verifier: TokenVerifier,
  authorization: string | undefined,
  acceptLanguage: string | undefined,
  clientKey: string | undefined,
): Promise<RequestInfo> {
  // Another service of this platform (peer-client.ts). Reached only past the signature check (or
  // on a development service that answers anyone): the gateway forwards clients' bearer tokens
  // only, so no client can present this through it.
  const service = authorization ? SERVICE_AUTHORIZATION.exec(authorization)?.[1] : undefined;
  if (service)
    return { identity: serviceIdentity(service), locale: parseLocale(acceptLanguage), clientKey: `service:${service}` };
  const token = bearerToken(authorization);
  const identity = token ? await verifier.verify(token) : undefined;
  return { identity, locale: parseLocale(acceptLanguage), clientKey: identity ? `user:${identity.userId}` : clientKey };
}

const headerValue = (v: unknown): string | undefined => (typeof v === 'string' && v.length <= 200 ? v : undefined);
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The forwarded values, read the same way for the signature check and for the request context. */
function forwardedFrom(source: Record<string, unknown>): ForwardedValues {
  return {
    authorization: text(source.authorization),
    acceptLanguage: text(source['accept-language']),
    clientKey: text(source[CLIENT_KEY_HEADER]),
  };
}

/** Refuses, before the body is parsed, any request the gateway did not sign. */
function gatewayOnly(verifier: GatewaySignatureVerifier, logger: Logger): express.RequestHandler {
  return (req, res, next) => {
    const verdict = verifier.verify(text(req.headers[GATEWAY_SIGNATURE_HEADER]), {
      method: req.method,
      path: req.originalUrl,
      body: Buffer.isBuffer(req.body) ? req.body : '',
      forwarded: forwardedFrom(req.headers),
    });
    if (verdict.ok) {
      res.locals.gatewaySigned = true;
      return next();
    }
    logRefusal(logger, verdict, req.socket.remoteAddress, 'http');
    res.status(verdict.status).json({ errors: [{ message: verdict.message, extensions: verdict.extensions }] });
  };
}

function logRefusal(logger: Logger, r: SignatureRefusal, address: string | undefined, transport: string): void {
  logger.warn({ reason: r.reason, address, transport }, 'refused a request without a valid gateway signature');
}

/** The JSON body, parsed once its signature (over the raw bytes) is known to be good. */
const parseJsonBody: express.RequestHandler = (req, res, next) => {
  if (!Buffer.isBuffer(req.body)) return next();
  try {
    req.body = JSON.parse(req.body.toString('utf8'));
    next();
  } catch {
    res
      .status(400)
      .json({ errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }] });
  }
};

export async function serveSubgraph(module: SubgraphModule, opts: ServeSubgraphOptions): Promise<ServedSubgraph> {
  const signatures = opts.trust === 'allow-unsigned' ? undefined : opts.trust.verifier;
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  // ws accepts 100 MiB messages by default: the HTTP body limit applies to WebSocket messages too.
  const wss = new WebSocketServer({
    server: httpServer,
    path: '/graphql',
    maxPayload: opts.maxBodyBytes ?? 1024 * 1024,
  });
  const wsCleanup = useServer(
    {
      schema: module.schema,
      // Before any subscription: an unsigned or badly signed connection_init closes with 4403.
      onConnect: (ctx) => {
        if (signatures === undefined) return true;
        const params = (ctx.connectionParams ?? {}) as Record<string, unknown>;
        const verdict = signatures.verify(text(params[GATEWAY_SIGNATURE_HEADER]), {
          method: WEBSOCKET_SIGNATURE_METHOD,
          path: ctx.extra.request.url ?? '',
          body: '',
          forwarded: forwardedFrom(params),
        });
        if (!verdict.ok) logRefusal(opts.logger, verdict, ctx.extra.request.socket.remoteAddress, 'graphql-ws');
        return verdict.ok;
      },
      context: async (ctx) => {
        const fwd = forwardedFrom((ctx.connectionParams ?? {}) as Record<string, unknown>);
        const client =
          (signatures ? headerValue(fwd.clientKey) : undefined) ??
          `ip:${ctx.extra.request.socket.remoteAddress ?? 'unknown'}`;
        return module.createContext(await requestInfo(opts.verifier, fwd.authorization, fwd.acceptLanguage, client));
      },
    },
    wss,
  );
  const apollo = new ApolloServer({
    schema: module.schema,
    csrfPrevention: true,
    // Shutdown is ours (runSubgraphService): Apollo's own signal handler re-raises the signal.
    stopOnTerminationSignals: false,
    formatError,
    includeStacktraceInErrorResponses: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      // No Apollo usage reporting here, so no per-request trace building for it.
      ApolloServerPluginInlineTraceDisabled(),
      operationMetricsPlugin({ server: 'subgraph', labels: { subgraph: module.name } }),
      operationScopePlugin(),
      {
        // What the answer was read from, for the gateway's response cache (graphql/cache-control.ts).
        requestDidStart: async () => ({
          // What the client sees as INTERNAL_SERVER_ERROR is logged here with its cause.
          didEncounterErrors: async ({ errors }) => {
            for (const err of errors)
              if (!isClientError(err.extensions?.code))
                opts.logger.error({ err: err.originalError ?? err, path: err.path }, 'resolver failed');
          },
          willSendResponse: async ({ response, contextValue }) => {
            if (response.body.kind !== 'single') return;
            response.body.singleResult.extensions = {
              ...response.body.singleResult.extensions,
              [CACHE_TAGS_EXTENSION]: cacheTagsOf(contextValue, module.name, module.preciseCacheTags ?? false),
            };
          },
        }),
      },
    ],
    logger: opts.logger,
  });
  await apollo.start();
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const ok = await module.healthy();
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'not ready' });
  });
  if (opts.metrics !== false) app.get('/metrics', metricsHandler());
  opts.routes?.(app);
  app.use(
    '/graphql',
    // Raw bytes first: the signature covers the body exactly as sent.
    express.raw({ type: 'application/json', limit: opts.maxBodyBytes ?? 1024 * 1024 }),
    ...(signatures ? [gatewayOnly(signatures, opts.logger)] : []),
    parseJsonBody,
    // Continues the gateway's trace (traceparent on its signed request).
    observeRequests({ spanName: `POST /graphql ${module.name}`, continueTrace: true }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const fwd = forwardedFrom(req.headers);
        // The client key is the gateway's word: believed only when the gateway signed it.
        const signed = res.locals.gatewaySigned === true;
        try {
          return withCacheTags(
            module.createContext(
              await requestInfo(
                opts.verifier,
                fwd.authorization,
                fwd.acceptLanguage,
                (signed ? headerValue(fwd.clientKey) : undefined) ?? `ip:${req.ip ?? 'unknown'}`,
              ),
            ),
          );
        } catch (err) {
          if (err instanceof GraphQLError)
            throw new GraphQLError(err.message, { extensions: { ...err.extensions, http: { status: 401 } } });
          throw err;
        }
      },
    }),
  );
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(opts.port, opts.host, () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  module.listening?.(`http://${opts.host}:${port}`);
  return {
    url: `http://${opts.host}:${port}/graphql`,
    async stop() {
      await wsCleanup.dispose();
      await apollo.stop();
    },
  };
}
