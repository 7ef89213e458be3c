// What every subgraph package exports: a schema plus the life cycle the gateway
// (embedded) or its own HTTP server (distributed) drives. Same code in both modes.
import type { Express } from 'express';
import type { GraphQLSchema } from 'graphql';
import type { JWTVerifyGetKey } from 'jose';
import type { Identity } from '../auth/identity';
import type { Locale } from '../locale';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { Bus } from '../events/bus';
import type { CacheFactory } from '../cache';
import type { PeerDirectory } from './peer-client';

/** Per-request facts the transport established: who calls, in which language. */
export interface RequestInfo {
  identity?: Identity;
  locale: Locale;
  /**
   * Who to throttle: the token subject, else the client's address, as the gateway saw it
   * (`user:<id>` / `ip:<address>`). Absent when a test builds a context by hand.
   */
  clientKey?: string;
}

/** The header the gateway forwards RequestInfo.clientKey in (trusted only on gateway-signed requests). */
export const CLIENT_KEY_HEADER = 'x-grocery-client';

export interface SubgraphModule<Ctx extends object = object> {
  readonly name: string;
  /** The federated subgraph schema (built with @apollo/subgraph). */
  readonly schema: GraphQLSchema;
  /** Builds the per-request context (fresh DataLoaders each request). */
  createContext(request: RequestInfo): Ctx;
  /** Starts background work: outbox relay, event consumers, reservation expiry. */
  start(): Promise<void>;
  /** Stops background work and closes connections. */
  stop(): Promise<void>;
  /** True when its database is reachable (readiness). */
  healthy(): Promise<boolean>;
  /** Extra HTTP routes its own server (distributed) and the gateway (embedded) expose, e.g. JWKS. */
  routes?: (app: Express) => void;
  /**
   * Told where those routes are reachable once the server that serves them listens (its own
   * service, or the gateway when embedded), e.g. "http://127.0.0.1:4000": a payment simulator
   * sends its webhooks there.
   */
  listening?(baseUrl: string): void;
  /**
   * Its resolvers tag everything they read (`tagCache`), so its answers carry only those tags,
   * not also `<name>/*` (graphql/cache-control.ts).
   */
  readonly preciseCacheTags?: boolean;
}

/** What the host (gateway in embedded mode, the subgraph's own server otherwise) provides. */
export interface SubgraphDeps {
  config: Config;
  logger: Logger;
  /** PostgreSQL URL; the subgraph uses its own schema in it. */
  databaseUrl: string;
  bus: Bus;
  caches: CacheFactory;
  /** Where the other subgraphs are, for calls between services (subgraph/peer-client.ts). */
  peers: PeerDirectory;
}

/**
 * One subgraph, everything the platform needs to run it anywhere: the one entry a new subgraph
 * adds to the gateway's registry (gateway/src/registry.ts). Its name also names its PostgreSQL
 * schema and migrations (prisma/<name>/), its settings (<NAME>_URL, <NAME>_DATABASE_URL) and
 * its bus topic (grocery.<name>).
 */
export interface SubgraphDefinition<N extends string = string, M extends SubgraphModule = SubgraphModule> {
  readonly name: N;
  /** Where its own service listens unless PORT says otherwise (distributed mode). */
  readonly defaultPort: number;
  /** Its schema alone, for composition (no database needed). */
  buildSchema(): Promise<GraphQLSchema>;
  create(deps: SubgraphDeps): Promise<M>;
  /**
   * It signs access tokens: it starts first, and the gateway and the other services verify with
   * its keys (in process, or from its JWKS route through JWKS_URL).
   */
  readonly issuesTokens?: boolean;
  /**
   * Path prefixes of its routes the outside world calls (payment webhooks): when it runs as its
   * own service, the gateway forwards requests under them to it.
   */
  readonly publicPaths?: readonly string[];
  /** As its own service: where it gets keys to verify access tokens (default JWKS_URL). */
  serviceKeys?(module: M): JWTVerifyGetKey;
  /** As its own service: runs once the module has started, before it listens. */
  onServiceStarted?(module: M, config: Config): Promise<void>;
}

/** Keeps a definition's literal name in its type (the registry derives its name list from them). */
export function defineSubgraph<N extends string, M extends SubgraphModule>(
  definition: SubgraphDefinition<N, M>,
): SubgraphDefinition<N, M> {
  if (!/^[a-z][a-z0-9]*$/.test(definition.name))
    throw new Error(
      `subgraph name "${definition.name}" must be one lower-case word (it names its schema and settings)`,
    );
  return definition;
}
