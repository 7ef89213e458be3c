// GET /.well-known/jwks.json: the public keys that verify access tokens (RFC 7517), for the
// gateway and subgraph services in distributed mode and for anyone else who verifies tokens.
import type { SubgraphModule } from '@grocery/platform';
import type { JsonWebKeySet } from '../domain/signing-key-ring';

export const JWKS_PATH = '/.well-known/jwks.json';

export function jwksRoute(jwks: () => JsonWebKeySet): NonNullable<SubgraphModule['routes']> {
  return (app) => {
    app.get(JWKS_PATH, (_req, res) => {
      // Short: after a rotation, verifiers that cache this response pick the new key up soon
      // (jose's remote key set also refetches on an unknown kid).
      res.set('cache-control', 'public, max-age=60');
      res.json(jwks());
    });
  };
}
