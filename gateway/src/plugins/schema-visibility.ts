// Who may see the schema: introspection (GraphiQL's docs and autocomplete) and "Did you mean …?"
// hints in validation errors. Everyone in development (GRAPHIQL, default outside production);
// in production only staff — admins explore the live API in GraphiQL with their token, while
// anonymous callers and customers get no introspection and no field names in errors.
import type { ApolloServerPlugin } from '@apollo/server';
import { hasRole } from '@grocery/platform';
import { GraphQLError, visit, type DocumentNode } from 'graphql';
import type { GatewayContext } from '../context';

export type SchemaVisibility = (caller: Pick<GatewayContext, 'identity'>) => boolean;

/** `openToAll`: development (config.graphiql); otherwise only staff (admins included). */
export function schemaVisibility(openToAll: boolean): SchemaVisibility {
  return (caller) => openToAll || hasRole(caller.identity, 'staff');
}

/** Apollo Server's own rule (ApolloServerPluginDisableSuggestions). */
export const withoutSuggestions = (message: string): string => message.replace(/ ?Did you mean(.+?)\?$/, '');

const introspected = new WeakMap<DocumentNode, boolean>();

/** Whether an operation reads `__schema` or `__type` (`__typename` is not introspection). */
export function asksForSchema(document: DocumentNode): boolean {
  let asks = introspected.get(document);
  if (asks !== undefined) return asks;
  asks = false;
  visit(document, {
    Field(node) {
      if (node.name.value === '__schema' || node.name.value === '__type') asks = true;
    },
  });
  introspected.set(document, asks);
  return asks;
}

export function schemaVisibilityPlugin(mayExplore: SchemaVisibility): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      if (mayExplore(contextValue)) return {};
      return {
        async validationDidStart() {
          return async (errors) => errors?.forEach((e) => (e.message = withoutSuggestions(e.message)));
        },
        async didResolveOperation({ document }) {
          if (asksForSchema(document))
            throw new GraphQLError('Introspection is for staff: sign in with a staff account to explore the schema.', {
              extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } },
            });
        },
      };
    },
  };
}
