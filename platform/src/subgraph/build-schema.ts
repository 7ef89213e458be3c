// type-graphql (code first) -> Apollo Federation 2 subgraph schema.
import 'reflect-metadata';
import { buildSubgraphSchema, type GraphQLResolverMap } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { parse, type GraphQLSchema } from 'graphql';
import { buildSchema, createResolversMap, type BuildSchemaOptions } from 'type-graphql';
import { CACHE_CONTROL_DEFINITIONS, CACHE_CONTROL_LINK } from '../graphql/cache-control';

export const FEDERATION_IMPORTS = [
  '@key',
  '@shareable',
  '@external',
  '@requires',
  '@provides',
  '@inaccessible',
  '@cost',
  '@listSize',
  '@composeDirective',
];

export interface FederatedSchemaOptions {
  resolvers: BuildSchemaOptions['resolvers'];
  orphanedTypes?: BuildSchemaOptions['orphanedTypes'];
  pubSub?: BuildSchemaOptions['pubSub'];
  /**
   * Resolvers type-graphql cannot declare, chiefly `__resolveReference` per entity:
   * `{ Product: { __resolveReference(ref, ctx) { ... } } }`.
   */
  extraResolvers?: GraphQLResolverMap<unknown>;
}

export async function buildFederatedSchema(opts: FederatedSchemaOptions): Promise<GraphQLSchema> {
  const tg = await buildSchema({
    resolvers: opts.resolvers,
    orphanedTypes: opts.orphanedTypes,
    pubSub: opts.pubSub,
    validate: false,
    emitSchemaFile: false,
  });
  const sdl = printSchemaWithDirectives(tg);
  // Cache hints travel into the supergraph as a composed directive (graphql/cache-control.ts).
  const link =
    `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ${JSON.stringify(FEDERATION_IMPORTS)}) ` +
    `${CACHE_CONTROL_LINK}\n${CACHE_CONTROL_DEFINITIONS}\n`;
  const typeDefs = parse(link + sdl);
  const resolvers = createResolversMap(tg) as GraphQLResolverMap<unknown>;
  for (const [type, fields] of Object.entries(opts.extraResolvers ?? {})) {
    resolvers[type] = { ...(resolvers[type] as object), ...(fields as object) } as never;
  }
  return buildSubgraphSchema([{ typeDefs, resolvers }]);
}
