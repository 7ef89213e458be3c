// Gateway features, one module per concern, wired in one place.
import type { FeatureContext } from './host';
import type { GatewayServerOptions } from './server';

export function gatewayFeatures(ctx: FeatureContext): Partial<GatewayServerOptions> {
  const routes = Object.values(ctx.modules)
    .map((m) => m?.routes)
    .filter((r): r is NonNullable<typeof r> => !!r);
  return {
    routes: (app) => routes.forEach((r) => r(app)),
  };
}
