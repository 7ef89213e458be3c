// The committed supergraph is what the gateway serves: it must match the subgraphs' code.
import { composeFromCode, readCommittedArtifacts } from './compose';

describe('composition', () => {
  it('composes the subgraphs without errors, and the committed schema/ matches (run `pnpm compose` if not)', async () => {
    const fresh = await composeFromCode(); // throws CompositionError on composition errors
    const committed = readCommittedArtifacts();
    for (const [name, sdl] of Object.entries(fresh.subgraphSdl)) {
      expect({ name, sdl: committed.subgraphSdl[name]?.trimEnd() }).toEqual({ name, sdl: sdl.trimEnd() });
    }
    expect(committed.supergraphSdl).toBe(fresh.supergraphSdl);
  });

  it('reports composition errors instead of producing a supergraph', async () => {
    const { composeSupergraph, CompositionError } = await import('@grocery/schema');
    const { buildSubgraphSchema } = await import('@apollo/subgraph');
    const { parse } = await import('graphql');
    const a = buildSubgraphSchema(
      parse(
        `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"]) type Product @key(fields: "sku") { sku: ID! price: Int! } type Query { a: Product }`,
      ),
    );
    const b = buildSubgraphSchema(
      parse(
        `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"]) type Product @key(fields: "sku") { sku: ID! price: String! } type Query { b: Product }`,
      ),
    );
    expect(() => composeSupergraph({ a, b })).toThrow(CompositionError);
  });
});
