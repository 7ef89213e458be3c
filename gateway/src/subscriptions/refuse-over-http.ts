// A subscription sent as an HTTP request gets a clear 400 pointing at WebSocket, instead of
// the gateway's internal "Execution of subscriptions not supported" (a 500).
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { GatewayContext } from '../context';

export function refuseSubscriptionsOverHttp(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation !== 'subscription') return;
          throw new GraphQLError(
            'Subscriptions run over WebSocket: connect a graphql-ws client (protocol graphql-transport-ws) to /graphql.',
            { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } },
          );
        },
      };
    },
  };
}
