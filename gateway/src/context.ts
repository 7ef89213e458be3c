import type { Identity, Locale } from '@grocery/platform';

/** What the gateway knows about a request, handed to every subgraph fetch. */
export interface GatewayContext {
  identity?: Identity;
  /** The raw bearer token, forwarded to subgraphs over HTTP so they verify it themselves. */
  token?: string;
  locale: Locale;
  /** Who to rate-limit: the token subject, else the client address. */
  clientKey: string;
}
