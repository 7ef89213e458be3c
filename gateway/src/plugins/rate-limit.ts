// Per-client rate limit on /graphql over HTTP, answered with 429 RATE_LIMITED before the body
// is read or any GraphQL work is done. The client key is GatewayContext.clientKey, computed by
// the same resolveCaller the GraphQL context uses (token subject, else the client address).
import { ErrorCode, type TokenVerifier } from '@grocery/platform';
import { decodeJwt } from 'jose';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { LRUCache } from 'lru-cache';
import { resolveCaller } from '../auth';
import type { RateLimiter, RateLimitVerdict } from './rate-limiter';

export function rateLimitedMessage(v: RateLimitVerdict): string {
  return `Too many requests: at most ${v.limit} per minute. Try again in ${v.retryAfterSeconds} s.`;
}

/**
 * Resolves the rate-limit key of an HTTP request. Verified tokens are remembered until they
 * expire (at most a minute) so the limiter does not verify each signature twice per request;
 * an invalid token counts against the address (the request itself is then refused with 401).
 */
export function clientKeyResolver(verifier: TokenVerifier): (req: Request) => Promise<string> {
  const known = new LRUCache<string, string>({ max: 50_000, ttl: 60_000 });
  return async (req) => {
    const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const authorization = req.headers.authorization;
    const cached = authorization ? known.get(authorization) : undefined;
    if (cached) return cached;
    try {
      const caller = await resolveCaller(verifier, authorization, undefined, address);
      if (authorization && caller.token) {
        const exp = decodeJwt(caller.token).exp;
        const ttl = exp ? Math.min(60_000, exp * 1000 - Date.now()) : 60_000;
        if (ttl > 0) known.set(authorization, caller.clientKey, { ttl });
      }
      return caller.clientKey;
    } catch {
      return `ip:${address}`;
    }
  };
}

export function rateLimitMiddleware(limiter: RateLimiter, verifier: TokenVerifier): RequestHandler {
  const clientKeyOf = clientKeyResolver(verifier);
  return (req: Request, res: Response, next: NextFunction) => {
    void (async () => {
      const v = await limiter.hit(await clientKeyOf(req));
      res.setHeader('RateLimit-Limit', String(v.limit));
      res.setHeader('RateLimit-Remaining', String(v.remaining));
      if (v.allowed) return next();
      res.setHeader('Retry-After', String(v.retryAfterSeconds));
      res.status(429).json({
        errors: [
          {
            message: rateLimitedMessage(v),
            extensions: { code: ErrorCode.RATE_LIMITED, retryAfterSeconds: v.retryAfterSeconds },
          },
        ],
      });
    })().catch(next);
  };
}
