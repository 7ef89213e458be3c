// One subgraph calling another (checkout reserving stock, claiming coupons, pricing a cart):
// GraphQL operations on the peer's own schema, as the calling service. In process when the peer
// runs in the same process (embedded), over HTTP signed like the gateway's requests otherwise
// (distributed). The same code and the same peer resolvers serve both; the operations used are
// usually @inaccessible, so clients of the gateway cannot call them at all.
import { execute, parse, type DocumentNode } from 'graphql';
import { LRUCache } from 'lru-cache';
import { GatewaySigner, GATEWAY_SIGNATURE_HEADER } from '../auth/gateway-signature';
import { serviceIdentity } from '../auth/identity';
import type { Config } from '../config';
import { ErrorCode } from '../errors';
import type { Locale } from '../locale';
import type { SubgraphModule } from './module';

/** How a service presents itself to a peer over HTTP; trusted only on gateway-signed requests. */
export const SERVICE_AUTHORIZATION_SCHEME = 'Service';

export interface PeerCallOptions {
  locale?: Locale;
  /** Per call; the peer's answer is abandoned (PEER_UNAVAILABLE) after this long. Default 5 s. */
  timeoutMs?: number;
}

const UNAVAILABLE = 'PEER_UNAVAILABLE';

/**
 * A peer's refusal, or the peer out of reach. `code` is the peer's own (or PEER_UNAVAILABLE);
 * `extensions` is what the calling service's client sees when the error surfaces unhandled (GraphQL
 * copies an original error's extensions): the peer's coded errors as they were, an unreachable
 * peer as SUBGRAPH_UNAVAILABLE, anything else INTERNAL_SERVER_ERROR.
 */
export class PeerError extends Error {
  readonly extensions: Record<string, unknown>;
  readonly detail: string;

  constructor(
    readonly peer: string,
    readonly code: string,
    message: string,
    extensions: Record<string, unknown> = {},
  ) {
    // What went wrong with an unreachable peer is for the logs (`detail`), not for clients.
    super(code === UNAVAILABLE ? `${peer} is unavailable; try again shortly.` : `${peer}: ${message}`);
    this.detail = message;
    const known = (Object.values(ErrorCode) as string[]).includes(code);
    this.extensions =
      code === UNAVAILABLE
        ? { code: ErrorCode.SUBGRAPH_UNAVAILABLE, serviceName: peer }
        : { ...extensions, code: known ? code : ErrorCode.INTERNAL_SERVER_ERROR };
  }
}

export interface PeerClient {
  /** Runs `query` on subgraph `peer` and returns its data; a GraphQL or transport error throws PeerError. */
  call<T = Record<string, unknown>>(
    peer: string,
    query: string,
    variables?: Record<string, unknown>,
    opts?: PeerCallOptions,
  ): Promise<T>;
}

/** Where each peer is: a module in this process, or a URL. */
export interface PeerDirectory {
  module(name: string): SubgraphModule | undefined;
  url(name: string): string | undefined;
}

export function createPeerClient(opts: {
  /** The calling subgraph's name: what the peer sees as `identity.service`. */
  self: string;
  peers: PeerDirectory;
  /** Its GATEWAY_SIGNING_SECRET signs HTTP calls; without one, peers must accept unsigned calls (development). */
  config: Pick<Config, 'GATEWAY_SIGNING_SECRET'>;
}): PeerClient {
  const signer = opts.config.GATEWAY_SIGNING_SECRET ? new GatewaySigner(opts.config.GATEWAY_SIGNING_SECRET) : undefined;
  const documents = new LRUCache<string, DocumentNode>({ max: 200 });
  const identity = serviceIdentity(opts.self);

  async function inProcess(module: SubgraphModule, query: string, variables: Record<string, unknown>, locale: Locale) {
    let document = documents.get(query);
    if (!document) {
      document = parse(query);
      documents.set(query, document);
    }
    return execute({
      schema: module.schema,
      document,
      contextValue: module.createContext({ identity, locale, clientKey: `service:${opts.self}` }),
      variableValues: variables,
    });
  }

  async function overHttp(
    peer: string,
    url: string,
    query: string,
    variables: Record<string, unknown>,
    o: PeerCallOptions,
  ) {
    const body = JSON.stringify({ query, variables });
    const authorization = `${SERVICE_AUTHORIZATION_SCHEME} ${opts.self}`;
    // Always sent, and signed as sent: without one, fetch adds `accept-language: *` itself, which
    // the peer would then verify against a signature made without it (a mismatch on every call).
    const acceptLanguage = o.locale ?? 'en';
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      authorization,
      'accept-language': acceptLanguage,
    };
    if (signer)
      headers[GATEWAY_SIGNATURE_HEADER] = signer.sign({
        method: 'POST',
        path: new URL(url).pathname,
        body,
        forwarded: { authorization, acceptLanguage },
      });
    let res: Response;
    try {
      res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(o.timeoutMs ?? 5000) });
    } catch (err) {
      throw new PeerError(peer, UNAVAILABLE, `cannot be reached (${(err as Error).message})`);
    }
    const text = await res.text();
    try {
      return JSON.parse(text) as { data?: Record<string, unknown> | null; errors?: readonly GraphQLErrorShape[] };
    } catch {
      throw new PeerError(peer, UNAVAILABLE, `answered ${res.status} without JSON`);
    }
  }

  return {
    async call<T>(peer: string, query: string, variables: Record<string, unknown> = {}, o: PeerCallOptions = {}) {
      const module = opts.peers.module(peer);
      let result: { data?: Record<string, unknown> | null; errors?: readonly GraphQLErrorShape[] };
      if (module) result = await inProcess(module, query, variables, o.locale ?? 'en');
      else {
        const url = opts.peers.url(peer);
        if (!url)
          throw new PeerError(
            peer,
            UNAVAILABLE,
            `is neither in this process nor configured (${peer.toUpperCase()}_URL)`,
          );
        result = await overHttp(peer, url, query, variables, o);
      }
      const first = result.errors?.[0];
      if (first) {
        const code =
          typeof first.extensions?.code === 'string' ? first.extensions.code : ErrorCode.INTERNAL_SERVER_ERROR;
        throw new PeerError(peer, code, first.message, first.extensions ?? {});
      }
      if (!result.data) throw new PeerError(peer, UNAVAILABLE, 'answered without data');
      return result.data as T;
    },
  };
}

interface GraphQLErrorShape {
  message: string;
  extensions?: Record<string, unknown>;
}
