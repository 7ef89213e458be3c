// Resolves the caller from an Authorization header (HTTP) or connection_init payload (WebSocket).
import { bearerToken, parseLocale, type TokenVerifier } from '@grocery/platform';
import type { GatewayContext } from './context';

export async function resolveCaller(
  verifier: TokenVerifier,
  authorization: string | undefined,
  acceptLanguage: string | undefined,
  address: string,
): Promise<GatewayContext> {
  const token = bearerToken(authorization);
  const identity = token ? await verifier.verify(token) : undefined;
  return {
    identity,
    token,
    locale: parseLocale(acceptLanguage),
    clientKey: identity ? `user:${identity.userId}` : `ip:${address}`,
  };
}
