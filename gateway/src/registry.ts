// The subgraphs this gateway composes: the one place a subgraph is registered. Everything else
// — composition, embedded and distributed start-up, the <NAME>_URL and <NAME>_DATABASE_URL
// settings, test databases, benchmarks — is derived from this list and each definition
// (SubgraphDefinition in platform/src/subgraph/module.ts).
import { deliverySubgraph } from '@grocery/delivery';
import { ordersSubgraph } from '@grocery/orders';
import { productsSubgraph } from '@grocery/products';
import { stockSubgraph } from '@grocery/stock';
import { usersSubgraph } from '@grocery/users';
import type { SubgraphDeps, SubgraphModule } from '@grocery/platform';
import type { GraphQLSchema } from 'graphql';
import type { JWTVerifyGetKey } from 'jose';

export const SUBGRAPH_DEFINITIONS = [
  productsSubgraph,
  stockSubgraph,
  usersSubgraph,
  ordersSubgraph,
  deliverySubgraph,
] as const;

export type SubgraphName = (typeof SUBGRAPH_DEFINITIONS)[number]['name'];
export const SUBGRAPHS: readonly SubgraphName[] = SUBGRAPH_DEFINITIONS.map((d) => d.name);

/** What a token-issuing module (users) offers the host: its keys, and accounts for SEED_ADMIN_* and the dev admin. */
export interface TokenIssuer {
  verificationKeys: JWTVerifyGetKey;
  ensureAccount(input: { email: string; password: string; name: string; roles: string[] }): Promise<void>;
}

export type SubgraphFactory = (deps: SubgraphDeps) => Promise<SubgraphModule & Partial<TokenIssuer>>;

const byName = Object.fromEntries(SUBGRAPH_DEFINITIONS.map((d) => [d.name, d])) as Record<
  SubgraphName,
  (typeof SUBGRAPH_DEFINITIONS)[number]
>;

export function subgraphDefinition(name: SubgraphName): (typeof SUBGRAPH_DEFINITIONS)[number] {
  return byName[name];
}

/** How to create each subgraph with its dependencies (embedded mode, test services). */
export const subgraphFactories = Object.fromEntries(
  SUBGRAPH_DEFINITIONS.map((d) => [d.name, (deps: SubgraphDeps) => d.create(deps) as Promise<SubgraphModule>]),
) as Record<SubgraphName, SubgraphFactory>;

/** How to build each subgraph's schema alone (composition). */
export const subgraphSchemas = Object.fromEntries(
  SUBGRAPH_DEFINITIONS.map((d) => [d.name, () => d.buildSchema()]),
) as Record<SubgraphName, () => Promise<GraphQLSchema>>;

/** The subgraphs that sign access tokens (users): started first, their keys verify the rest. */
export const TOKEN_ISSUERS: readonly SubgraphName[] = SUBGRAPH_DEFINITIONS.filter(
  (d) => 'issuesTokens' in d && d.issuesTokens,
).map((d) => d.name);

/** The running module that signs access tokens, if one runs in this process. */
export function tokenIssuerOf(
  modules: Partial<Record<SubgraphName, SubgraphModule & Partial<TokenIssuer>>>,
): (SubgraphModule & TokenIssuer) | undefined {
  for (const name of TOKEN_ISSUERS) {
    const m = modules[name];
    if (m?.verificationKeys && m.ensureAccount) return m as SubgraphModule & TokenIssuer;
  }
  return undefined;
}
