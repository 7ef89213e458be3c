// Per-client limits on /graphql over HTTP, answered with 429 RATE_LIMITED before the body is
// read or any GraphQL work is done: requests per minute, and operations in flight at once. The
// client key is GatewayContext.clientKey, computed by the same resolveCaller the GraphQL context
// uses (token subject, else the client address). The cost budget is charged later, once the
// operation's cost is known (limits-plugin.ts).
import { ErrorCode, type TokenVerifier } from '@grocery/platform';
import { decodeJwt } from 'jose';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { LRUCache } from 'lru-cache';
import { resolveCaller } from '../auth';
import type { GatewayRateLimits, RateLimitVerdict } from './rate-limiter';

export function rateLimitedMessage(v: RateLimitVerdict): string {
  return `Too many requests: at most ${v.limit} per minute. Try again in ${v.retryAfterSeconds} s.`;
}

export function costRateLimitedMessage(v: RateLimitVerdict, cost: number): string {
  return `Too much work asked for: at most ${v.limit} cost per minute per client, and this operation costs ${cost}. Try again in ${v.retryAfterSeconds} s, or ask for less.`;
}

export const concurrencyMessage = (max: number) =>
  `Too many operations at once: at most ${max} in flight per client. Wait for one to finish.`;

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

function refuse(res: Response, message: string, extensions: { limit: string; max: number; retryAfterSeconds: number }) {
  res.setHeader('Retry-After', String(extensions.retryAfterSeconds));
  res.status(429).json({ errors: [{ message, extensions: { code: ErrorCode.RATE_LIMITED, ...extensions } }] });
}

/**
 * Calls `release` when the gateway has finished answering: on res.end(), which comes after the
 * operation ran even when the client went away first ('close' alone would free the slot while
 * the abandoned operation still runs, so a client could keep any number going by hanging up).
 * Should an answer never be ended, the slot is freed a while after the client is gone.
 */
function holdUntilAnswered(res: Response, release: () => void): void {
  let answered = false;
  const end = res.end.bind(res) as (...args: unknown[]) => Response;
  res.end = ((...args: unknown[]) => {
    answered = true;
    release();
    return end(...args);
  }) as Response['end'];
  res.once('close', () => {
    if (!answered) setTimeout(release, ABANDONED_SLOT_MS).unref();
  });
}

/** Longer than an operation can run (each subgraph fetch has its own timeout). */
const ABANDONED_SLOT_MS = 120_000;

export function rateLimitMiddleware(limits: GatewayRateLimits, verifier: TokenVerifier): RequestHandler {
  const clientKeyOf = clientKeyResolver(verifier);
  return (req: Request, res: Response, next: NextFunction) => {
    void (async () => {
      const clientKey = await clientKeyOf(req);
      const v = await limits.requests.hit(clientKey);
      res.setHeader('RateLimit-Limit', String(v.limit));
      res.setHeader('RateLimit-Remaining', String(v.remaining));
      if (!v.allowed)
        return refuse(res, rateLimitedMessage(v), {
          limit: 'requests',
          max: v.limit,
          retryAfterSeconds: v.retryAfterSeconds,
        });
      // Refused at once rather than queued: a queue would hold the client's sockets and memory
      // here instead, and other clients' requests never wait behind this one's.
      const release = limits.inFlight.acquire(clientKey);
      if (!release)
        return refuse(res, concurrencyMessage(limits.inFlight.max), {
          limit: 'concurrency',
          max: limits.inFlight.max,
          retryAfterSeconds: 1,
        });
      holdUntilAnswered(res, release);
      next();
    })().catch(next);
  };
}
