// GraphiQL in a browser: served from local assets, only when enabled.
import { createClient } from 'graphql-ws/client';
import WebSocket from 'ws';
import { startTestPlatform, type TestPlatform } from '../testing/platform';
import { testTokens } from '../testing/tokens';

const browser = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

describe('GraphiQL', () => {
  describe('in development', () => {
    let p: TestPlatform;
    beforeAll(async () => {
      const tokens = await testTokens();
      p = await startTestPlatform({ subgraphs: ['products'], verificationKeys: tokens.verificationKeys });
    });
    afterAll(() => p?.stop());

    it('serves GraphiQL at /graphql and / to a browser, with nothing loaded from the internet', async () => {
      for (const path of ['/graphql', '/']) {
        const res = await p.fetch(path, { headers: browser });
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toMatch(/text\/html/);
        const html = await res.text();
        expect(html).toContain('renderYogaGraphiQL');
        expect(html).toContain('"endpoint":"/graphql"');
        expect(html).toContain('"subscriptionsProtocol":"WS"');
        // No script, stylesheet or icon from elsewhere: every asset is inlined.
        expect(html).not.toMatch(/<script[^>]+src=["']?https?:/i);
        expect(html).not.toMatch(/<link[^>]+href=["']?https?:/i);
        expect(html).not.toMatch(/@import\s+url\(["']?https?:/i);
      }
    });

    it('leaves API clients alone: a GET asking for JSON still reaches GraphQL', async () => {
      const res = await p.fetch(`/graphql?query=${encodeURIComponent('{ categories { id } }')}`, {
        headers: { accept: 'application/json', 'apollo-require-preflight': 'true' },
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ data: { categories: [] } });
    });

    it('suggests field names in validation errors (introspection is on)', async () => {
      const r = await p.gql('{ categorys { id } }');
      expect(r.errors?.[0]?.message).toMatch(/Did you mean "categories"/);
    });
  });

  describe('in production', () => {
    let p: TestPlatform;
    let staff: string;
    let admin: string;
    let customer: string;
    beforeAll(async () => {
      const tokens = await testTokens();
      [staff, admin, customer] = await Promise.all([
        tokens.sign({ sub: 'staff-1', roles: ['staff'] }),
        tokens.sign({ sub: 'admin-1', roles: ['admin'] }),
        tokens.sign({ sub: 'customer-1', roles: ['customer'] }),
      ]);
      p = await startTestPlatform({
        subgraphs: ['products', 'stock'],
        verificationKeys: tokens.verificationKeys,
        env: { NODE_ENV: 'production' },
      });
    });
    afterAll(() => p?.stop());

    it('serves GraphiQL, for staff to use with their token', async () => {
      const res = await p.fetch('/graphql', { headers: browser });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('renderYogaGraphiQL');
    });

    it('answers introspection to staff and admins only', async () => {
      const INTROSPECT = '{ __schema { queryType { name } } __type(name: "Product") { name } }';
      for (const token of [staff, admin]) {
        const r = await p.gql(INTROSPECT, {}, { token });
        expect(r.errors).toBeUndefined();
        expect(r.data).toEqual({ __schema: { queryType: { name: 'Query' } }, __type: { name: 'Product' } });
      }
      for (const token of [undefined, customer]) {
        for (const query of [INTROSPECT, '{ __type(name: "Product") { fields { name } } }']) {
          const r = await p.gql(query, {}, { token });
          expect(r.status).toBe(400);
          expect(r.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
          expect(r.data ?? null).toBeNull();
        }
      }
      // __typename is not introspection.
      expect((await p.gql('{ __typename }')).data).toEqual({ __typename: 'Query' });
    });

    it('gives schema hints in validation errors to staff only', async () => {
      for (const token of [undefined, customer]) {
        const r = await p.gql('{ categorys { id } }', {}, { token });
        expect(r.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
        expect(r.errors?.[0]?.message).toBe('Cannot query field "categorys" on type "Query".');
      }
      const hinted = await p.gql('{ categorys { id } }', {}, { token: staff });
      expect(hinted.errors?.[0]?.message).toMatch(/Did you mean "categories"/);
    });

    it('gives no schema hints in validation errors over WebSocket either', async () => {
      const client = createClient({ url: p.wsUrl, webSocketImpl: WebSocket, lazy: true, retryAttempts: 0 });
      try {
        const errors = await new Promise<{ message: string }[]>((resolve, reject) => {
          client.subscribe(
            { query: 'subscription { stockChangd(skus: ["SKU-1"]) { sku } }' },
            {
              next: () => reject(new Error('unexpected event')),
              error: (e) => resolve(e as never),
              complete: () => {},
            },
          );
        });
        expect(errors[0]!.message).toBe('Cannot query field "stockChangd" on type "Subscription".');
      } finally {
        await client.dispose();
      }
    });
  });
});
