// The cost model over a small composed supergraph whose subgraphs declare @cost and @listSize,
// and the declarations every list of our own supergraph must make.
import { Supergraph } from '@apollo/federation-internals';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { composeSupergraph } from '@grocery/schema';
import { buildSchema, getNamedType, parse, type GraphQLSchema } from 'graphql';
import { readCommittedSupergraph } from '../host';
import { CostModel, DEFAULT_LIST_SIZE, DEFAULT_MUTATION_WEIGHT } from './query-cost';

const LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@cost", "@listSize"])`;

const SHOP = `${LINK}
type Query {
  shelf(id: ID!): Shelf
  shelves: [Shelf!]!
  items(first: Int = 10, after: String): ItemConnection!
    @cost(weight: 100) @listSize(slicingArguments: ["first"], sizedFields: ["edges"])
  top(first: Int = 3): [Item!]! @cost(weight: 2) @listSize(slicingArguments: ["first"])
  tags: [String!]! @listSize(assumedSize: 3)
  quote(lines: [LineInput!]! @cost(weight: 5), codes: [String!]): Int
  things: [Thing!]! @listSize(assumedSize: 2)
}
type Mutation {
  plain: Shelf
  heavy: Int @cost(weight: 500)
}
interface Thing { id: ID! }
type Cheap implements Thing { id: ID! }
type Dear implements Thing { id: ID! detail: Detail! }
type Detail @cost(weight: 50) { x: Int }
type Shelf @key(fields: "id") { id: ID! items: [Item!]! @listSize(assumedSize: 4) }
type Item { id: ID! }
type ItemConnection { totalCount: Int! edges: [ItemEdge!]! }
type ItemEdge { node: Item! }
input LineInput { sku: ID! quantity: Int! @cost(weight: 3) }
`;

// A second subgraph adds to the entity, as stock does to Product.
const STOCK = `${LINK}
type Shelf @key(fields: "id") { id: ID! levels: [Int!] @cost(weight: 7) @listSize(assumedSize: 2) }
`;

let schema: GraphQLSchema;
let model: CostModel;
const cost = (query: string, variables?: Record<string, unknown>, operationName?: string) =>
  model.estimate(schema, parse(query), variables, operationName);

beforeAll(() => {
  const { supergraphSdl } = composeSupergraph({
    shop: buildSubgraphSchema(parse(SHOP)),
    stock: buildSubgraphSchema(parse(STOCK)),
  });
  schema = Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
  model = CostModel.fromSupergraph(supergraphSdl);
});

describe('operation cost from the supergraph’s @cost and @listSize', () => {
  it('charges 1 per field by default, nothing for __typename', () => {
    expect(cost('{ shelf(id: "1") { id __typename } }')).toBe(2);
  });

  it('multiplies an undeclared list by DEFAULT_LIST_SIZE, a declared one by its assumedSize', () => {
    expect(cost('{ shelves { id } }')).toBe(DEFAULT_LIST_SIZE * 2);
    expect(cost('{ shelf(id: "1") { items { id } } }')).toBe(1 + 4 * 2);
    expect(cost('{ tags }')).toBe(3);
  });

  it('sizes a list by its slicing argument, its weight counting per item', () => {
    expect(cost('{ top(first: 7) { id } }')).toBe(7 * (2 + 1));
    expect(cost('{ top { id } }')).toBe(3 * (2 + 1)); // the argument's default
  });

  it('applies a connection’s page size to its sizedFields only, literal or variable', () => {
    // items 100 + totalCount 1 + 5 edges x (edges 1 + node 1 + id 1)
    const page = '{ items(first: 5) { totalCount edges { node { id } } } }';
    expect(cost(page)).toBe(100 + 1 + 5 * 3);
    const byVariable = 'query ($n: Int) { items(first: $n) { totalCount edges { node { id } } } }';
    expect(cost(byVariable, { n: 5 })).toBe(cost(page));
    expect(cost(byVariable, {})).toBe(100 + 1 + 10 * 3);
  });

  it('weighs a field by the weight its subgraph declares, one added to another’s entity too', () => {
    expect(cost('{ shelf(id: "1") { levels } }')).toBe(1 + 2 * 7);
    expect(cost('{ things { id ... on Dear { detail { x } } } }')).toBe(2 * (1 + 1 + 50 + 1));
  });

  it('charges list arguments per element, with their weights, the same in literals and variables', () => {
    const lines = [
      { sku: 'a', quantity: 1 },
      { sku: 'b', quantity: 2 },
    ];
    // quote 1 + 2 lines x (argument weight 5 + quantity's 3) + 3 codes x 1
    expect(
      cost('{ quote(lines: [{ sku: "a", quantity: 1 }, { sku: "b", quantity: 2 }], codes: ["A", "B", "C"]) }'),
    ).toBe(1 + 2 * 8 + 3);
    const q = 'query ($l: [LineInput!]!, $c: [String!]) { quote(lines: $l, codes: $c) }';
    expect(cost(q, { l: lines, c: ['A', 'B', 'C'] })).toBe(1 + 2 * 8 + 3);
    expect(cost(q, { l: Array.from({ length: 500 }, () => lines[0]) })).toBe(1 + 500 * 8);
  });

  it('takes the dearest possible type of an interface or union', () => {
    expect(cost('{ things { id } }')).toBe(2 * 2);
    expect(cost('{ things { ... on Cheap { id } ... on Dear { detail { x } } } }')).toBe(2 * (1 + 50 + 1));
  });

  it('follows fragments and honours @skip and @include', () => {
    const q = `query ($more: Boolean!) { shelf(id: "1") { ...F items @include(if: $more) { id } } }
      fragment F on Shelf { id levels @skip(if: true) }`;
    expect(cost(q, { more: false })).toBe(2);
    expect(cost(q, { more: true })).toBe(2 + 4 * 2);
  });

  it('weighs an undeclared mutation as a write, a declared one as declared', () => {
    expect(cost('mutation { plain { id } }')).toBe(DEFAULT_MUTATION_WEIGHT + 1);
    expect(cost('mutation { heavy }')).toBe(500);
    expect(cost('mutation { a: heavy b: heavy }')).toBe(1000);
  });

  it('costs the named operation of a document, nothing for introspection', () => {
    const doc = 'query A { shelves { id } } query B { shelf(id: "1") { id } }';
    expect(cost(doc, {}, 'B')).toBe(2);
    expect(cost('{ __schema { types { name fields { name } } } }')).toBe(0);
  });

  it('throws for variables that do not fit (execution reports them)', () => {
    expect(() => cost('query ($n: Int) { items(first: $n) { totalCount } }', { n: 'many' })).toThrow();
  });

  it('reads the directives under the names the supergraph links them with', () => {
    const sdl = `
      schema @link(url: "https://specs.apollo.dev/link/v1.0")
             @link(url: "https://specs.apollo.dev/cost/v0.1", as: "demand") { query: Query }
      directive @link(url: String, as: String, for: String, import: [String]) repeatable on SCHEMA
      directive @demand(weight: Int!) on FIELD_DEFINITION
      directive @demand__listSize(assumedSize: Int) on FIELD_DEFINITION
      type Query { a: Int @demand(weight: 9) b: [Int!]! @demand__listSize(assumedSize: 4) }`;
    const linked = CostModel.fromSupergraph(sdl);
    const s = buildSchema(sdl);
    expect(linked.estimate(s, parse('{ a b }'), {}, undefined)).toBe(9 + 4);
    expect(CostModel.undeclared.estimate(s, parse('{ a b }'), {}, undefined)).toBe(1 + DEFAULT_LIST_SIZE);
  });
});

describe('our supergraph’s declarations', () => {
  const sdl = readCommittedSupergraph();
  const api = Supergraph.build(sdl).apiSchema().toGraphQLJSSchema();
  const ours = CostModel.fromSupergraph(sdl);

  it('sizes every paginated field by its slicing argument, and a connection by its edges', () => {
    for (const root of [api.getQueryType()!, api.getSubscriptionType()!])
      for (const field of Object.values(root.getFields())) {
        if (!field.args.some((a) => a.name === 'first')) continue;
        const listSize = ours.listSize(root, field.name);
        const connection = getNamedType(field.type).name.endsWith('Connection');
        expect({ field: field.name, listSize }).toEqual({
          field: field.name,
          listSize: expect.objectContaining({
            slicingArguments: ['first'],
            ...(connection ? { sizedFields: ['edges'] } : {}),
          }),
        });
      }
  });

  it('weighs every mutation with what it was measured to cost, none left to the default', () => {
    for (const field of Object.keys(api.getMutationType()!.getFields()))
      expect({ field, weight: ours.weight(`Mutation.${field}`) }).toEqual({ field, weight: expect.any(Number) });
  });
});
