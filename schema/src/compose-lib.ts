// Composition with @apollo/composition: subgraph schemas in, supergraph SDL out (or errors).
import { composeServices } from '@apollo/composition';
import { printSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLSchema } from 'graphql';

export interface ComposedSupergraph {
  supergraphSdl: string;
  subgraphSdl: Record<string, string>;
}

export class CompositionError extends Error {}

/** Subgraph URLs in the supergraph are placeholders; the gateway maps names to data sources. */
export function composeSupergraph(schemas: Record<string, GraphQLSchema>): ComposedSupergraph {
  const subgraphSdl: Record<string, string> = {};
  for (const [name, schema] of Object.entries(schemas)) subgraphSdl[name] = printSubgraphSchema(schema);
  const result = composeServices(
    Object.entries(subgraphSdl)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, sdl]) => ({ name, url: `http://${name}.subgraph.invalid/graphql`, typeDefs: parse(sdl) })),
  );
  if (result.errors) {
    throw new CompositionError(`Composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  }
  return { supergraphSdl: result.supergraphSdl, subgraphSdl };
}
