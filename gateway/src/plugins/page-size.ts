// Refuses a page larger than MAX_PAGE_SIZE anywhere in an operation (literal or variable), at
// the gateway, before any subgraph is called. Subgraphs check again: they are reachable alone.
import { TypeInfo, valueFromAST, visit, visitWithTypeInfo, type DocumentNode, type GraphQLSchema } from 'graphql';

export interface OversizedPage {
  field: string;
  requested: number;
}

/** The first `first:` argument above `max`, or undefined when every page is within bounds. */
export function findOversizedPage(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  max: number,
): OversizedPage | undefined {
  const typeInfo = new TypeInfo(schema);
  let found: OversizedPage | undefined;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Argument(node) {
        if (found || node.name.value !== 'first') return;
        const arg = typeInfo.getArgument();
        const field = typeInfo.getFieldDef();
        if (!arg || !field) return;
        const value: unknown = valueFromAST(node.value, arg.type, variables ?? {});
        if (typeof value === 'number' && value > max) found = { field: field.name, requested: value };
      },
    }),
  );
  return found;
}
