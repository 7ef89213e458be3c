// Apollo Server plugin applying OperationLimits to every HTTP operation.
import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from '../context';
import { OperationLimitError, type OperationLimits } from './operation-limits';

export function operationLimitsPlugin(limits: OperationLimits): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        // Only on a document-cache miss: a cached document passed this already.
        async parsingDidStart({ source }) {
          limits.checkTokens(source);
        },
        // Depth, aliases and directives are cached per document; cost and page size need the
        // variables, so they run per request (a tree walk, microseconds for real operations).
        async didResolveOperation({ schema, document, request }) {
          const refused = limits.check({
            schema,
            document,
            variables: request.variables,
            operationName: request.operationName,
          });
          if (refused) throw refused;
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
