// The subgraphs this gateway composes, by name: how to build each one's schema alone
// (composition) and how to create it with its dependencies (embedded mode).
import { buildProductsSchema, createProductsSubgraph } from '@grocery/products';
import { buildStockSchema, createStockSubgraph } from '@grocery/stock';
import { buildUsersSchema, createUsersSubgraph } from '@grocery/users';
import type { GraphQLSchema } from 'graphql';
import type { SubgraphFactory, SubgraphName } from './host';

export const subgraphFactories: Record<SubgraphName, SubgraphFactory> = {
  products: createProductsSubgraph,
  stock: createStockSubgraph,
  users: createUsersSubgraph,
};

export const subgraphSchemas: Record<SubgraphName, () => Promise<GraphQLSchema>> = {
  products: buildProductsSchema,
  stock: buildStockSchema,
  users: buildUsersSchema,
};
