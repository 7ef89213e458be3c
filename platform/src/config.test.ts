import { DEV_CORS_ORIGINS, loadConfig } from './config';

describe('CORS_ORIGINS', () => {
  it("allows the storefront's dev server outside production and nothing in production by default", () => {
    expect(loadConfig({ NODE_ENV: 'development' }).corsOrigins).toEqual(DEV_CORS_ORIGINS);
    expect(loadConfig({ NODE_ENV: 'production' }).corsOrigins).toEqual([]);
  });

  it('takes a comma-separated list, trimming spaces and trailing slashes', () => {
    const c = loadConfig({
      NODE_ENV: 'production',
      CORS_ORIGINS: 'https://shop.example.vn/, https://admin.example.vn',
    });
    expect(c.corsOrigins).toEqual(['https://shop.example.vn', 'https://admin.example.vn']);
  });
});

describe('per-subgraph settings', () => {
  const SECRET = 'x'.repeat(40);

  it('reads <NAME>_URL for the subgraphs a gateway composes, and <NAME>_DATABASE_URL for any domain', () => {
    const c = loadConfig(
      {
        ORDERS_URL: 'http://127.0.0.1:4004/graphql',
        DELIVERY_URL: 'http://127.0.0.1:4005/graphql',
        ORDERS_DATABASE_URL: 'postgresql://orders:pw@127.0.0.1/grocery',
        GATEWAY_SIGNING_SECRET: SECRET,
        // Declared settings and multi-word names are not subgraphs.
        REDIS_URL: 'redis://127.0.0.1:6379',
        GITHUB_SERVER_URL: 'https://example.invalid',
      },
      { subgraphs: ['orders'] },
    );
    expect(c.subgraphUrls).toEqual({ orders: 'http://127.0.0.1:4004/graphql' });
    expect(c.domainDatabaseUrls).toEqual({ orders: 'postgresql://orders:pw@127.0.0.1/grocery' });
  });

  it('refuses a malformed subgraph URL and a subgraph URL without the signing secret, naming the setting', () => {
    expect(() =>
      loadConfig({ ORDERS_URL: 'not a url', GATEWAY_SIGNING_SECRET: SECRET }, { subgraphs: ['orders'] }),
    ).toThrow(/ORDERS_URL: Invalid url/);
    expect(() => loadConfig({ ORDERS_URL: 'http://127.0.0.1:4004/graphql' }, { subgraphs: ['orders'] })).toThrow(
      /GATEWAY_SIGNING_SECRET: required when ORDERS_URL is set/,
    );
    expect(() => loadConfig({ ORDERS_DATABASE_URL: 'nope' })).toThrow(/ORDERS_DATABASE_URL: Invalid url/);
  });
});

describe('rate limits', () => {
  it('refuses a cost budget per minute smaller than one operation may cost', () => {
    expect(() => loadConfig({ MAX_QUERY_COST: '20000', RATE_LIMIT_COST_PER_MINUTE: '19999' })).toThrow(
      /RATE_LIMIT_COST_PER_MINUTE: 19999 is below MAX_QUERY_COST/,
    );
    expect(
      loadConfig({ MAX_QUERY_COST: '20000', RATE_LIMIT_COST_PER_MINUTE: '20000' }).RATE_LIMIT_COST_PER_MINUTE,
    ).toBe(20000);
  });
});

describe('DELIVERY_ZONE_PROVIDERS', () => {
  it('reads each zone’s couriers in order', () => {
    expect(loadConfig({}).DELIVERY_ZONE_PROVIDERS).toEqual({});
    expect(
      loadConfig({ DELIVERY_ZONE_PROVIDERS: 'hcm-central: grab, GHN ; hn-east:VIETTELPOST' }).DELIVERY_ZONE_PROVIDERS,
    ).toEqual({ 'hcm-central': ['GRAB', 'GHN'], 'hn-east': ['VIETTELPOST'] });
  });

  it('refuses an entry it cannot read, naming it', () => {
    expect(() => loadConfig({ DELIVERY_ZONE_PROVIDERS: 'hcm-central:GOJEK' })).toThrow(/hcm-central:GOJEK/);
    expect(() => loadConfig({ DELIVERY_ZONE_PROVIDERS: 'GRAB,GHN' })).toThrow(/GRAB,GHN/);
  });
});
