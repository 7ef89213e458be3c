// CORS for browser apps on other origins (the storefront, the admin): preflights answered,
// only configured origins (CORS_ORIGINS) allowed. Tokens travel in Authorization, never in
// cookies, so no credentials mode: a page on another origin cannot ride on a user's session.
import type { Config } from '@grocery/platform';
import cors from 'cors';
import type { RequestHandler } from 'express';

/** Request headers a browser client sends: JSON, the token, its language, Apollo's CSRF header. */
const ALLOWED_HEADERS = [
  'content-type',
  'authorization',
  'accept-language',
  'apollo-require-preflight',
  'x-apollo-operation-name',
];
/** Response headers a browser client may read: rate-limit state and the response cache's verdict. */
const EXPOSED_HEADERS = ['RateLimit-Limit', 'RateLimit-Remaining', 'Retry-After', 'x-cache'];

export function corsMiddleware(config: Pick<Config, 'corsOrigins'>): RequestHandler {
  const allowed = new Set(config.corsOrigins);
  const any = allowed.has('*');
  return cors({
    origin: (origin, callback) => callback(null, any || (origin !== undefined && allowed.has(origin))),
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ALLOWED_HEADERS,
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: 600,
  });
}
