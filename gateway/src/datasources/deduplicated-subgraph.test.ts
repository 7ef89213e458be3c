import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { GraphQLError } from 'graphql';
import type { GatewayContext } from '../context';
import { DeduplicatedSubgraph } from './deduplicated-subgraph';

/** A subgraph whose answers the test releases by hand, counting what reaches it. */
function controlledSubgraph() {
  const pending: ((r: GatewayGraphQLResponse) => void)[] = [];
  const ds: GraphQLDataSource<GatewayContext> & { calls: number } = {
    calls: 0,
    process() {
      ds.calls += 1;
      return new Promise((resolve) => pending.push(resolve));
    },
  };
  return { ds, answerAll: (r: GatewayGraphQLResponse) => pending.splice(0).forEach((resolve) => resolve(r)) };
}

const anonymous: GatewayContext = { locale: 'en', clientKey: 'ip:1' };
const customer = (id: string): GatewayContext => ({
  identity: { userId: id, roles: ['customer'] },
  locale: 'en',
  clientKey: `user:${id}`,
});

function fetch(query: string, context: GatewayContext, variables: Record<string, unknown> = { sku: 'A' }) {
  return {
    kind: GraphQLDataSourceRequestKind.INCOMING_OPERATION,
    request: { query, variables },
    context,
    incomingRequestContext: {},
  } as unknown as GraphQLDataSourceProcessOptions<GatewayContext>;
}

const PRODUCT = 'query P($sku:String!){product(sku:$sku){name}}';

describe('DeduplicatedSubgraph', () => {
  it('sends identical concurrent queries once and gives each request its own copy', async () => {
    const { ds, answerAll } = controlledSubgraph();
    const dedup = new DeduplicatedSubgraph('products', ds);
    const waiting = Array.from({ length: 10 }, (_, i) =>
      dedup.process(fetch(PRODUCT, { ...anonymous, clientKey: `ip:${i}` })),
    );
    expect(ds.calls).toBe(1);
    answerAll({ data: { product: { name: 'Rice' } } });
    const answers = await Promise.all(waiting);
    for (const a of answers) expect(a.data).toEqual({ product: { name: 'Rice' } });
    (answers[0]!.data!.product as { name: string }).name = 'changed by one request';
    expect(answers[1]!.data).toEqual({ product: { name: 'Rice' } });
    expect(dedup.stats).toEqual({ fetches: 1, shared: 9 });
  });

  it('keeps errors as they are (coded GraphQLErrors) when sharing', async () => {
    const { ds, answerAll } = controlledSubgraph();
    const dedup = new DeduplicatedSubgraph('products', ds);
    const two = [dedup.process(fetch(PRODUCT, anonymous)), dedup.process(fetch(PRODUCT, anonymous))];
    const error = new GraphQLError('No product', { extensions: { code: 'NOT_FOUND' } });
    answerAll({ data: { product: null }, errors: [error] });
    for (const a of await Promise.all(two)) expect(a.errors![0]).toBe(error);
  });

  it('does not share across callers, languages, variables, or after the answer came', async () => {
    const { ds, answerAll } = controlledSubgraph();
    const dedup = new DeduplicatedSubgraph('products', ds);
    const all = [
      dedup.process(fetch(PRODUCT, customer('u1'))),
      dedup.process(fetch(PRODUCT, customer('u2'))),
      dedup.process(fetch(PRODUCT, anonymous)),
      dedup.process(fetch(PRODUCT, { ...anonymous, locale: 'vi' })),
      dedup.process(fetch(PRODUCT, anonymous, { sku: 'B' })),
    ];
    expect(ds.calls).toBe(5);
    answerAll({ data: { product: null } });
    await Promise.all(all);
    const later = dedup.process(fetch(PRODUCT, anonymous));
    expect(ds.calls).toBe(6);
    answerAll({ data: { product: null } });
    await later;
  });

  it('never shares mutations or subscriptions', async () => {
    const { ds, answerAll } = controlledSubgraph();
    const dedup = new DeduplicatedSubgraph('stock', ds);
    const MUTATION = 'mutation M($sku:String!){reserveStock(input:{sku:$sku,locationId:"x",quantity:1}){__typename}}';
    const two = [dedup.process(fetch(MUTATION, customer('u1'))), dedup.process(fetch(MUTATION, customer('u1')))];
    expect(ds.calls).toBe(2);
    answerAll({ data: {} });
    await Promise.all(two);
  });
});
