// The guard around a remote subgraph, against a stand-in data source: what a failed fetch
// answers (coded errors on the paths it would have filled), the timeout, the breaker's effect
// on traffic. Through the gateway with real services: gateway/test/subgraph-outage.test.ts.
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { createLogger } from '@grocery/platform';
import { parse } from 'graphql';
import type { GatewayContext } from '../context';
import { GuardedSubgraph, unansweredPaths, type GuardedProcessOptions } from './guarded-subgraph';

const ENTITY_FETCH = /* GraphQL */ `
  query Q__stock__1($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on Product {
        availability {
          available
        }
        levels: stockLevels {
          onHand
        }
      }
      ... on Bundle {
        available
      }
    }
  }
`;

const representations = [
  { __typename: 'Product', sku: 'A' },
  { __typename: 'Bundle', id: 'kit-1' },
  { __typename: 'Product', sku: 'B' },
];

function fetchOptions(query: string, variables?: Record<string, unknown>) {
  return {
    kind: GraphQLDataSourceRequestKind.INCOMING_OPERATION,
    request: { query, variables },
    document: parse(query),
    context: { locale: 'en', clientKey: 'ip:test' },
    incomingRequestContext: {},
  } as unknown as GraphQLDataSourceProcessOptions<GatewayContext>;
}

type Behaviour = 'ok' | 'refuse' | 'hang' | 'garbage';

/** A data source that answers, refuses like a closed port, hangs until aborted, or sends garbage. */
class StandIn implements GraphQLDataSource<GatewayContext> {
  calls = 0;
  aborted = 0;
  behaviour: Behaviour = 'ok';
  async process(options: GuardedProcessOptions): Promise<GatewayGraphQLResponse> {
    this.calls++;
    switch (this.behaviour) {
      case 'ok':
        return { data: { __typename: 'Query' } };
      case 'refuse':
        throw Object.assign(new Error('connect ECONNREFUSED 10.0.0.7:4002'), { code: 'ECONNREFUSED' });
      case 'garbage':
        throw new Error('subgraph stock answered HTTP 502 with a body that is not JSON');
      case 'hang':
        return new Promise((_, reject) =>
          options.signal?.addEventListener('abort', () => {
            this.aborted++;
            reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
          }),
        );
    }
  }
}

const logger = createLogger('silent', 'test');

function guard(opts: Partial<{ timeoutMs: number; failureThreshold: number; coolDownMs: number }> = {}) {
  let now = 1_700_000_000_000;
  const inner = new StandIn();
  const g = new GuardedSubgraph('stock', inner, {
    timeoutMs: 50,
    failureThreshold: 2,
    coolDownMs: 10_000,
    logger,
    now: () => now,
    ...opts,
  });
  return { g, inner, advance: (ms: number) => (now += ms) };
}

describe('the paths a failed fetch leaves empty', () => {
  it('names each requested field of each entity, by the entity’s type', () => {
    expect(unansweredPaths(parse(ENTITY_FETCH), { representations })).toEqual([
      ['_entities', 0, 'availability'],
      ['_entities', 0, 'levels'],
      ['_entities', 1, 'available'],
      ['_entities', 2, 'availability'],
      ['_entities', 2, 'levels'],
    ]);
  });

  it('names each root field of a root fetch, by its alias', () => {
    const doc = parse('query { __typename p: product(sku: "A") { name } categories { id } }');
    expect(unansweredPaths(doc, {})).toEqual([['p'], ['categories']]);
  });
});

describe('a guarded subgraph', () => {
  it('passes answers through and records the fetch', async () => {
    const { g, inner } = guard();
    expect(await g.process(fetchOptions('{ __typename }'))).toEqual({ data: { __typename: 'Query' } });
    expect(inner.calls).toBe(1);
  });

  it('answers a refused fetch with SUBGRAPH_UNAVAILABLE on every path it would have filled, without the address', async () => {
    const { g, inner } = guard();
    inner.behaviour = 'refuse';
    const res = await g.process(fetchOptions(ENTITY_FETCH, { representations }));
    expect(res.data).toBeNull();
    expect(res.errors?.map((e) => e.path)).toEqual(unansweredPaths(parse(ENTITY_FETCH), { representations }));
    for (const e of res.errors!) {
      expect(e.extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'stock', reason: 'unreachable' });
      expect(e.message).not.toMatch(/10\.0\.0\.7|ECONNREFUSED/);
    }
  });

  it('gives up on a hung fetch after the timeout and aborts the request', async () => {
    const { g, inner } = guard({ timeoutMs: 30 });
    inner.behaviour = 'hang';
    const res = await g.process(fetchOptions('{ locations { id } }'));
    expect(res.errors).toEqual([
      expect.objectContaining({
        path: ['locations'],
        extensions: { code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'stock', reason: 'timeout' },
      }),
    ]);
    expect(inner.aborted).toBe(1);
  });

  it('counts an unreadable answer as a failure', async () => {
    const { g, inner } = guard();
    inner.behaviour = 'garbage';
    const res = await g.process(fetchOptions('{ locations { id } }'));
    expect(res.errors?.[0]?.extensions?.reason).toBe('bad_response');
    expect(g.breaker.consecutiveFailures).toBe(1);
  });

  it('opens after consecutive failures and then fails fast without calling the subgraph', async () => {
    const { g, inner } = guard({ failureThreshold: 2, coolDownMs: 10_000 });
    inner.behaviour = 'refuse';
    await g.process(fetchOptions('{ locations { id } }'));
    await g.process(fetchOptions('{ locations { id } }'));
    expect(g.breaker.state).toBe('open');
    inner.behaviour = 'ok'; // back up, but the breaker does not know yet
    for (let i = 0; i < 5; i++) {
      const res = await g.process(fetchOptions('{ locations { id } }'));
      expect(res.errors?.[0]?.extensions).toEqual({
        code: 'SUBGRAPH_UNAVAILABLE',
        subgraph: 'stock',
        reason: 'circuit_open',
        retryAfterSeconds: 10,
      });
    }
    expect(inner.calls).toBe(2);
    const status = await g.status(); // its live probe is outside the breaker
    expect(status).toMatchObject({
      reachable: true,
      breaker: 'open',
      fetches: 2,
      failures: 2,
      shortCircuited: 5,
      lastError: { reason: 'unreachable', code: 'ECONNREFUSED' },
    });
  });

  it('lets one probe through after the cool-down and closes when it is answered', async () => {
    const { g, inner, advance } = guard({ failureThreshold: 1, coolDownMs: 1_000 });
    inner.behaviour = 'refuse';
    await g.process(fetchOptions('{ locations { id } }'));
    advance(1_000);
    inner.behaviour = 'ok';
    expect((await g.process(fetchOptions('{ __typename }'))).errors).toBeUndefined();
    expect(g.breaker.state).toBe('closed');
  });

  it('reports a subgraph that does not answer as unreachable', async () => {
    const { g, inner } = guard();
    inner.behaviour = 'refuse';
    expect(await g.status()).toMatchObject({ reachable: false, breaker: 'closed', fetches: 0 });
  });
});
