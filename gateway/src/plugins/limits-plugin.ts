// Apollo Server plugin applying OperationLimits to every HTTP operation, then charging the
// operation's estimated cost to its client's budget per minute.
import type { ApolloServerPlugin } from '@apollo/server';
import { ErrorCode } from '@grocery/platform';
import { GraphQLError } from 'graphql';
import type { GatewayContext } from '../context';
import { OperationLimitError, type OperationLimits } from './operation-limits';
import { costRateLimitedMessage } from './rate-limit';
import type { RateLimiter, RateLimitVerdict } from './rate-limiter';

/** What a refused charge answers: RATE_LIMITED (HTTP 429), over HTTP and WebSocket alike. */
export function costRateLimited(v: RateLimitVerdict, cost: number): GraphQLError {
  return new GraphQLError(costRateLimitedMessage(v, cost), {
    extensions: {
      code: ErrorCode.RATE_LIMITED,
      limit: 'cost',
      max: v.limit,
      cost,
      retryAfterSeconds: v.retryAfterSeconds,
      http: { status: 429 },
    },
  });
}

/** Charges an operation: every operation costs at least 1, so free ones still count. */
export const charge = (budget: RateLimiter, clientKey: string, cost: number) =>
  budget.hit(clientKey, Math.max(1, Math.ceil(cost)));

export function operationLimitsPlugin(
  limits: OperationLimits,
  budget: RateLimiter,
): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      let retryAfterSeconds: number | undefined;
      return {
        // Only on a document-cache miss: a cached document passed this already.
        async parsingDidStart({ source }) {
          limits.checkTokens(source);
        },
        // Depth, aliases and directives are cached per document; cost and page size need the
        // variables, so they run per request (a tree walk, microseconds for real operations).
        async didResolveOperation({ schema, document, request, contextValue }) {
          const { cost, refused } = limits.check({
            schema,
            document,
            variables: request.variables,
            operationName: request.operationName,
          });
          if (refused) throw refused;
          const v = await charge(budget, contextValue.clientKey, cost);
          if (v.allowed) return;
          retryAfterSeconds = v.retryAfterSeconds;
          throw costRateLimited(v, cost);
        },
        async willSendResponse({ response }) {
          if (retryAfterSeconds !== undefined) response.http.headers.set('retry-after', String(retryAfterSeconds));
        },
      };
    },
    // Apollo Server treats an error thrown before validation (parsingDidStart) as unexpected and
    // masks it as HTTP 500; re-throwing our own coded error from this hook sends it to the
    // client as it is (400, QUERY_TOO_COMPLEX) — the route graphql-armor's Apollo plugin takes.
    async unexpectedErrorProcessingRequest({ error }) {
      if (error instanceof OperationLimitError) throw error;
    },
  };
}
