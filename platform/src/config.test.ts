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
