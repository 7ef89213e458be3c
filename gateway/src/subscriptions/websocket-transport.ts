// graphql-ws on the gateway's own /graphql URL: authenticates on connection_init, applies the
// same operation limits and per-client rate limit as HTTP, and runs each subscription through
// the federated plan. Queries and mutations stay on HTTP.
import type http from 'node:http';
import { ErrorCode, formatError, type Logger, type TokenVerifier } from '@grocery/platform';
import {
  getOperationAST,
  getVariableValues,
  GraphQLError,
  validate,
  type ExecutionArgs,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { decodeJwt } from 'jose';
import { WebSocketServer, type WebSocket } from 'ws';
import { resolveCaller } from '../auth';
import type { GatewayContext } from '../context';
import type { OperationLimits } from '../plugins/operation-limits';
import { rateLimitedMessage } from '../plugins/rate-limit';
import type { RateLimiter } from '../plugins/rate-limiter';
import type { FederatedSubscriptions } from './federated-subscriptions';
import type { ConnectionStreams, SubgraphStreams } from './subgraph-streams';

/** WebSocket close codes (graphql-ws uses the 4400 range the same way). */
export const CloseCode = {
  /** connection_init carried a bad or expired token, or the token expired while connected. */
  Unauthorized: 4401,
  /** The client opened connections faster than its rate limit allows. */
  TooManyRequests: 4429,
  GoingAway: 1001,
} as const;

export interface SubscriptionTransportOptions {
  /** The client-facing schema: subscriptions are validated against it. */
  schema: GraphQLSchema;
  verifier: TokenVerifier;
  limits: OperationLimits;
  limiter: RateLimiter;
  executor: FederatedSubscriptions;
  streams: SubgraphStreams;
  logger: Logger;
  /** Largest WebSocket message accepted (the HTTP body limit). */
  maxPayloadBytes: number;
  /** Strip "Did you mean …?" from validation errors (introspection is off), as HTTP does. */
  hideSchemaDetails: boolean;
}

interface Connection {
  caller: GatewayContext;
  streams: ConnectionStreams;
  expiry?: NodeJS.Timeout;
}

/** What each subscription runs with (graphql-ws passes it to `subscribe` as contextValue). */
interface SubscriptionContext {
  connection: Connection;
  source: string;
}

/** A connection_init parameter by case-insensitive name, at the top level or in `headers` (GraphiQL's way). */
function param(params: Record<string, unknown> | undefined, name: string): string | undefined {
  for (const [k, v] of Object.entries(params ?? {})) if (k.toLowerCase() === name && typeof v === 'string') return v;
  const headers = params?.headers;
  return headers && typeof headers === 'object' ? param(headers as Record<string, unknown>, name) : undefined;
}

/** Apollo Server's own rule (ApolloServerPluginDisableSuggestions), for errors it never sees. */
const withoutSuggestions = (message: string) => message.replace(/ ?Did you mean(.+?)\?$/, '');

function coded(message: string, code: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}

/** What a client may see of an error: the same masking as HTTP, without HTTP-only details. */
function forClient(error: GraphQLError | GraphQLFormattedError): GraphQLFormattedError {
  const formatted = formatError(error instanceof GraphQLError ? error.toJSON() : error, error);
  if (formatted.extensions && 'http' in formatted.extensions) {
    const { http: _http, ...extensions } = formatted.extensions;
    return { ...formatted, extensions };
  }
  return formatted;
}

export function subscriptionTransport(
  opts: SubscriptionTransportOptions,
): (httpServer: http.Server) => Promise<() => Promise<void>> {
  return async (httpServer) => {
    const wss = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: opts.maxPayloadBytes });
    const connections = new Set<Connection>();

    const server = useServer<Record<string, unknown>, { connection: Connection }>(
      {
        async onConnect(ctx) {
          const { request, socket } = ctx.extra;
          const params = ctx.connectionParams;
          let caller: GatewayContext;
          try {
            caller = await resolveCaller(
              opts.verifier,
              param(params, 'authorization') ?? request.headers.authorization,
              param(params, 'accept-language') ?? request.headers['accept-language'],
              request.socket.remoteAddress ?? 'unknown',
            );
          } catch (err) {
            if (!(err instanceof GraphQLError)) throw err;
            socket.close(CloseCode.Unauthorized, err.message.slice(0, 120));
            return false;
          }
          // Connecting costs a signature check: it counts against the client's budget like a request.
          const verdict = await opts.limiter.hit(caller.clientKey);
          if (!verdict.allowed) {
            socket.close(CloseCode.TooManyRequests, rateLimitedMessage(verdict).slice(0, 120));
            return false;
          }
          const connection: Connection = { caller, streams: opts.streams.forConnection(caller) };
          // A connection lives no longer than its access token: the client reconnects with a fresh one.
          const exp = caller.token ? decodeJwt(caller.token).exp : undefined;
          if (exp) {
            connection.expiry = setTimeout(
              () => socket.close(CloseCode.Unauthorized, 'Access token expired; reconnect with a fresh one.'),
              Math.max(0, exp * 1000 - Date.now()),
            );
            connection.expiry.unref();
          }
          ctx.extra.connection = connection;
          connections.add(connection);
          return true;
        },

        async onSubscribe(ctx, _id, payload) {
          const connection = ctx.extra.connection!;
          const verdict = await opts.limiter.hit(connection.caller.clientKey);
          if (!verdict.allowed) return [coded(rateLimitedMessage(verdict), ErrorCode.RATE_LIMITED)];

          let document;
          try {
            document = opts.limits.parse(payload.query);
          } catch (err) {
            if (err instanceof GraphQLError)
              return [
                err.extensions.code
                  ? err
                  : new GraphQLError(err.message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } }),
              ];
            throw err;
          }
          const invalid = validate(opts.schema, document);
          if (invalid.length > 0)
            return invalid.map(
              (e) =>
                new GraphQLError(opts.hideSchemaDetails ? withoutSuggestions(e.message) : e.message, {
                  nodes: e.nodes,
                  extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
                }),
            );
          const operation = getOperationAST(document, payload.operationName);
          if (!operation) return [coded('Name the operation to run (operationName).', 'BAD_REQUEST')];
          if (operation.operation !== 'subscription')
            return [
              coded(
                `Only subscriptions run over WebSocket; send ${operation.operation} operations as HTTP POST to /graphql.`,
                'BAD_REQUEST',
              ),
            ];
          // graphql-js 16 validation does not catch a missing root type; the planner would throw.
          if (!opts.schema.getSubscriptionType())
            return [coded('This API has no subscriptions.', 'GRAPHQL_VALIDATION_FAILED')];
          const coerced = getVariableValues(opts.schema, operation.variableDefinitions ?? [], payload.variables ?? {});
          if (coerced.errors) return coerced.errors.map((e) => coded(e.message, ErrorCode.BAD_USER_INPUT));
          const refused = opts.limits.check({
            schema: opts.schema,
            document,
            variables: coerced.coerced,
            operationName: payload.operationName,
          });
          if (refused) return [refused];

          const contextValue: SubscriptionContext = { connection, source: payload.query };
          return {
            schema: opts.schema,
            document,
            operationName: payload.operationName,
            variableValues: coerced.coerced,
            contextValue,
          } satisfies ExecutionArgs;
        },

        // Never throws: graphql-ws would close the whole connection (4500), ending the
        // client's other subscriptions too. A failure ends this subscription with an error
        // (masked by onNext unless it is coded).
        subscribe: async (args: ExecutionArgs) => {
          const { connection, source } = args.contextValue as SubscriptionContext;
          try {
            return await opts.executor.subscribe({
              source,
              document: args.document,
              operationName: args.operationName,
              variables: (args.variableValues ?? {}) as Record<string, unknown>,
              caller: connection.caller,
              streams: connection.streams,
            });
          } catch (err) {
            opts.logger.error({ err }, 'subscription could not start');
            return { errors: [err instanceof GraphQLError ? err : new GraphQLError('Internal server error')] };
          }
        },

        onNext(_ctx, _id, _payload, _args, result) {
          if (!result.errors?.length) return undefined;
          return { ...result, errors: result.errors.map(forClient) };
        },

        onError(_ctx, _id, _payload, errors) {
          return errors.map(forClient);
        },

        async onClose(ctx) {
          const connection = ctx.extra.connection;
          if (!connection) return;
          connections.delete(connection);
          clearTimeout(connection.expiry);
          await connection.streams.close();
        },
      },
      wss,
    );

    return async () => {
      // Tell every client we are going, give them a moment to close cleanly, then cut the rest.
      for (const socket of wss.clients) socket.close(CloseCode.GoingAway, 'Gateway shutting down');
      const deadline = Date.now() + 1_000;
      while (wss.clients.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      for (const socket of wss.clients as Set<WebSocket>) socket.terminate();
      await server.dispose();
      await Promise.all([...connections].map((c) => c.streams.close()));
      connections.clear();
    };
  };
}
