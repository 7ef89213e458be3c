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
