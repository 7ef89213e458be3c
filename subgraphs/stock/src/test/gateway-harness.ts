// The gateway's test harness (gateway/src/testing/platform.ts), loaded at run time. The gateway
// depends on this package, so a static import would make this package's typecheck compile the
// whole gateway; these are the parts of its surface the stock tests use.
import type { Config, RequestInfo, SubgraphModule } from '@grocery/platform';

export interface GraphQLResult {
  status: number;
  // Test assertions walk arbitrary response shapes.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  data?: any;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; [k: string]: unknown } }[];
}

export interface TestPlatform {
  mode: 'embedded' | 'distributed';
  /** The gateway's WebSocket URL (graphql-ws subscriptions). */
  wsUrl: string;
  config: Config;
  database: { url: string };
  /** The subgraph modules, wherever they run (in the gateway or behind their own servers). */
  modules: Partial<Record<'products' | 'stock' | 'users', SubgraphModule & { createContext(r: RequestInfo): object }>>;
  signIn(roles?: ('customer' | 'staff' | 'admin')[]): Promise<{ accessToken: string; email: string }>;
  gql(
    query: string,
    variables?: Record<string, unknown>,
    opts?: { token?: string; lang?: string },
  ): Promise<GraphQLResult>;
  stop(): Promise<void>;
}

export interface TestPlatformOptions {
  env?: Record<string, string>;
  seedSkus?: number;
}

type Harness = { startTestPlatform(opts?: TestPlatformOptions): Promise<TestPlatform> };

export function startTestPlatform(opts?: TestPlatformOptions): Promise<TestPlatform> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const harness = require('../../../../gateway/src/testing/platform') as Harness;
  return harness.startTestPlatform(opts);
}
