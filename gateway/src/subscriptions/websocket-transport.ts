// graphql-ws on the gateway's own /graphql URL: authenticates on connection_init, applies the
// same operation limits and per-client rate limit as HTTP, bounds connections and subscriptions
// per client, drops subscribers that stop reading, and runs each subscription through the
// federated plan. Queries and mutations stay on HTTP.
import type http from 'node:http';
import { ErrorCode, formatError, type Config, type Logger, type TokenVerifier } from '@grocery/platform';
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
import { charge, costRateLimited } from '../plugins/limits-plugin';
import type { OperationLimits } from '../plugins/operation-limits';
import { withoutSuggestions, type SchemaVisibility } from '../plugins/schema-visibility';
import { rateLimitedMessage } from '../plugins/rate-limit';
import type { RateLimiter } from '../plugins/rate-limiter';
import type { FederatedSubscriptions } from './federated-subscriptions';

/** WebSocket close codes (graphql-ws uses the 4400 range the same way). */
export const CloseCode = {
  /** connection_init carried a bad or expired token, or the token expired while connected. */
  Unauthorized: 4401,
  /** The client opened connections faster than its rate limit allows. */
  TooManyRequests: 4429,
  /** The client already holds as many open connections as one client may (MAX_WS_CONNECTIONS_PER_CLIENT). */
  TooManyConnections: 4430,
  /** The client did not read its messages: they backed up past WS_SLOW_CONSUMER_BYTES for WS_SLOW_CONSUMER_MS. */
  SlowConsumer: 4431,
  GoingAway: 1001,
} as const;

export interface SubscriptionTransportOptions {
  /** The client-facing schema: subscriptions are validated against it. */
  schema: GraphQLSchema;
  verifier: TokenVerifier;
  limits: OperationLimits;
  /** Requests per minute: each connection and each subscribe counts 1. */
  limiter: RateLimiter;
  /** Cost per minute: each subscription charges its estimated cost, as an HTTP operation does. */
  costBudget: RateLimiter;
  executor: FederatedSubscriptions;
  logger: Logger;
  /** Largest WebSocket message accepted (the HTTP body limit). */
  maxPayloadBytes: number;
  /** Whether a caller may see schema hints ("Did you mean …?") in validation errors, as over HTTP. */
  mayExploreSchema: SchemaVisibility;
  bounds: SubscriptionBounds;
}

/** Per gateway process. A client is its clientKey: the token's user, else the address. */
export interface SubscriptionBounds {
  maxSubscriptionsPerConnection: number;
  maxSubscriptionsPerClient: number;
  maxConnectionsPerClient: number;
  /** Unsent bytes (ws bufferedAmount) a socket may hold for longer than slowConsumerMs. */
  slowConsumerBytes: number;
  slowConsumerMs: number;
}

export function subscriptionBoundsFromConfig(config: Config): SubscriptionBounds {
  return {
    maxSubscriptionsPerConnection: config.MAX_SUBSCRIPTIONS_PER_CONNECTION,
    maxSubscriptionsPerClient: config.MAX_SUBSCRIPTIONS_PER_CLIENT,
    maxConnectionsPerClient: config.MAX_WS_CONNECTIONS_PER_CLIENT,
    slowConsumerBytes: config.WS_SLOW_CONSUMER_BYTES,
    slowConsumerMs: config.WS_SLOW_CONSUMER_MS,
  };
}

/** What GET /status shows of subscriptions (this gateway process). */
export interface SubscriptionStatus {
  connections: number;
  subscriptions: number;
  clients: number;
  refusedConnections: number;
  refusedSubscriptions: number;
  slowConsumersDropped: number;
}

export type SubscriptionTransport = ((httpServer: http.Server) => Promise<() => Promise<void>>) & {
  status(): SubscriptionStatus;
};

interface Connection {
  caller: GatewayContext;
  socket: WebSocket;
  /** Ids of the subscriptions running on it. */
  subscriptions: Set<string>;
  /** Since when its unsent bytes have stayed above the slow-consumer threshold. */
  backedUpSince?: number;
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

function tooManySubscriptions(limit: string, max: number, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.TOO_MANY_SUBSCRIPTIONS, limit, max } });
}

export function subscriptionTransport(opts: SubscriptionTransportOptions): SubscriptionTransport {
  const { bounds } = opts;
  const connections = new Set<Connection>();
  const byClient = new Map<string, Set<Connection>>();
  const counters = { refusedConnections: 0, refusedSubscriptions: 0, slowConsumersDropped: 0 };
  const subscriptionsOf = (clientKey: string) =>
    [...(byClient.get(clientKey) ?? [])].reduce((n, c) => n + c.subscriptions.size, 0);

  const forget = (connection: Connection) => {
    connections.delete(connection);
    const mine = byClient.get(connection.caller.clientKey);
    mine?.delete(connection);
    if (mine?.size === 0) byClient.delete(connection.caller.clientKey);
  };

  // A subscriber that stops reading would otherwise pile up events in this process (graphql-ws
  // waits for each send to drain; the upstream queues keep growing behind it).
  const dropSlowConsumers = () => {
    const now = Date.now();
    for (const connection of connections) {
      if (connection.socket.bufferedAmount <= bounds.slowConsumerBytes) {
        connection.backedUpSince = undefined;
        continue;
      }
      connection.backedUpSince ??= now;
      if (now - connection.backedUpSince < bounds.slowConsumerMs) continue;
      counters.slowConsumersDropped++;
      opts.logger.warn(
        { clientKey: connection.caller.clientKey, bufferedBytes: connection.socket.bufferedAmount },
        'dropping a subscriber that does not read its messages',
      );
      forget(connection);
      clearTimeout(connection.expiry);
      connection.socket.close(
        CloseCode.SlowConsumer,
        `Messages backed up for ${bounds.slowConsumerMs} ms unread; reconnect.`.slice(0, 120),
      );
    }
  };

  const attach = async (httpServer: http.Server) => {
    const wss = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: opts.maxPayloadBytes });
    const sweep = setInterval(dropSlowConsumers, Math.min(1_000, Math.max(50, bounds.slowConsumerMs / 4)));
    sweep.unref();

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
          // Counted and added with no await in between: two connects cannot both take the last place.
          const mine = byClient.get(caller.clientKey) ?? new Set<Connection>();
          if (mine.size >= bounds.maxConnectionsPerClient) {
            counters.refusedConnections++;
            socket.close(
              CloseCode.TooManyConnections,
              `Too many connections for this client (max ${bounds.maxConnectionsPerClient}); close one first.`,
            );
            return false;
          }
          const connection: Connection = {
            caller,
            socket,
            subscriptions: new Set(),
          };
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
          byClient.set(caller.clientKey, mine.add(connection));
          return true;
        },

        async onSubscribe(ctx, id, payload) {
          const connection = ctx.extra.connection!;
          const verdict = await opts.limiter.hit(connection.caller.clientKey);
          if (!verdict.allowed) return [coded(rateLimitedMessage(verdict), ErrorCode.RATE_LIMITED)];
          const refusedForCount = () => {
            if (connection.subscriptions.size >= bounds.maxSubscriptionsPerConnection)
              return tooManySubscriptions(
                'subscriptionsPerConnection',
                bounds.maxSubscriptionsPerConnection,
                `This connection already runs ${bounds.maxSubscriptionsPerConnection} subscriptions, as many as one connection may; complete one first.`,
              );
            if (subscriptionsOf(connection.caller.clientKey) >= bounds.maxSubscriptionsPerClient)
              return tooManySubscriptions(
                'subscriptionsPerClient',
                bounds.maxSubscriptionsPerClient,
                `This client already runs ${bounds.maxSubscriptionsPerClient} subscriptions across its connections, as many as one client may; complete one first.`,
              );
            return undefined;
          };
          const tooMany = refusedForCount();
          if (tooMany) {
            counters.refusedSubscriptions++;
            return [tooMany];
          }

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
                new GraphQLError(opts.mayExploreSchema(connection.caller) ? e.message : withoutSuggestions(e.message), {
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
          const { cost, refused } = opts.limits.check({
            schema: opts.schema,
            document,
            variables: payload.variables ?? {},
            operationName: payload.operationName,
          });
          if (refused) return [refused];
          const charged = await charge(opts.costBudget, connection.caller.clientKey, cost);
          if (!charged.allowed) return [costRateLimited(charged, cost)];
          // Again, with no await before the add: another subscribe may have taken the place meanwhile.
          const late = refusedForCount();
          if (late) {
            counters.refusedSubscriptions++;
            return [late];
          }
          connection.subscriptions.add(id);

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

        // Every accepted subscription ends here once: completed by the client, ended by its
        // source, failed, or its socket closed.
        onComplete(ctx, id) {
          ctx.extra.connection?.subscriptions.delete(id);
        },

        async onClose(ctx) {
          const connection = ctx.extra.connection;
          if (!connection) return;
          forget(connection);
          clearTimeout(connection.expiry);
        },
      },
      wss,
    );
    // graphql-ws prints every socket error with console.error, and a client can cause one at will
    // (a message over maxPayload: ws closes it with 1009 itself). Logged here instead, quietly.
    wss.on('connection', (socket) => {
      socket.removeAllListeners('error');
      socket.on('error', (err) => opts.logger.debug({ err }, 'WebSocket client error'));
    });

    return async () => {
      clearInterval(sweep);
      // Tell every client we are going, give them a moment to close cleanly, then cut the rest.
      for (const socket of wss.clients) socket.close(CloseCode.GoingAway, 'Gateway shutting down');
      const deadline = Date.now() + 1_000;
      while (wss.clients.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      for (const socket of wss.clients as Set<WebSocket>) socket.terminate();
      await server.dispose();
      connections.clear();
      byClient.clear();
    };
  };

  return Object.assign(attach, {
    status: (): SubscriptionStatus => ({
      connections: connections.size,
      subscriptions: [...connections].reduce((n, c) => n + c.subscriptions.size, 0),
      clients: byClient.size,
      ...counters,
    }),
  });
}
