// Distributed mode: one subgraph as its own HTTP service. The gateway forwards the caller's
// bearer token; this service verifies it itself (never trusts an identity it did not check).
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
import { bearerToken, type TokenVerifier } from '../auth/token-verifier';
import { formatError } from '../errors';
import { parseLocale } from '../locale';
import type { Logger } from '../logger';
import { CLIENT_KEY_HEADER, type RequestInfo, type SubgraphModule } from './module';

export interface ServeSubgraphOptions {
  port: number;
  host: string;
  verifier: TokenVerifier;
  logger: Logger;
  maxBodyBytes?: number;
  routes?: (app: express.Express) => void;
}

export interface ServedSubgraph {
  url: string;
  stop(): Promise<void>;
}

async function requestInfo(
  verifier: TokenVerifier,
  authorization: string | undefined,
  acceptLanguage: string | undefined,
  clientKey: string | undefined,
): Promise<RequestInfo> {
  const token = bearerToken(authorization);
  const identity = token ? await verifier.verify(token) : undefined;
  return { identity, locale: parseLocale(acceptLanguage), clientKey: identity ? `user:${identity.userId}` : clientKey };
}

const headerValue = (v: unknown): string | undefined => (typeof v === 'string' && v.length <= 200 ? v : undefined);

export async function serveSubgraph(module: SubgraphModule, opts: ServeSubgraphOptions): Promise<ServedSubgraph> {
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
      context: async (ctx) => {
        const params = (ctx.connectionParams ?? {}) as Record<string, unknown>;
        const auth = typeof params.authorization === 'string' ? params.authorization : undefined;
        const lang = typeof params['accept-language'] === 'string' ? (params['accept-language'] as string) : undefined;
        const client =
          headerValue(params[CLIENT_KEY_HEADER]) ?? `ip:${ctx.extra.request.socket.remoteAddress ?? 'unknown'}`;
        return module.createContext(await requestInfo(opts.verifier, auth, lang, client));
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
  opts.routes?.(app);
  app.use(
    '/graphql',
    express.json({ limit: opts.maxBodyBytes ?? 1024 * 1024 }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        try {
          return module.createContext(
            await requestInfo(
              opts.verifier,
              req.headers.authorization,
              req.headers['accept-language'],
              headerValue(req.headers[CLIENT_KEY_HEADER]) ?? `ip:${req.ip ?? 'unknown'}`,
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
  return {
    url: `http://${opts.host}:${port}/graphql`,
    async stop() {
      await wsCleanup.dispose();
      await apollo.stop();
    },
  };
}
