// What every subgraph package exports: a schema plus the life cycle the gateway
// (embedded) or its own HTTP server (distributed) drives. Same code in both modes.
import type { Express } from 'express';
import type { GraphQLSchema } from 'graphql';
import type { Identity } from '../auth/identity';
import type { Locale } from '../locale';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { Bus } from '../events/bus';
import type { CacheFactory } from '../cache';

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
}

/** What the host (gateway in embedded mode, the subgraph's own server otherwise) provides. */
export interface SubgraphDeps {
  config: Config;
  logger: Logger;
  /** PostgreSQL URL; the subgraph uses its own schema in it. */
  databaseUrl: string;
  bus: Bus;
  caches: CacheFactory;
}
