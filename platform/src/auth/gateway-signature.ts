// Subgraph services answer only the gateway. The gateway signs every request it sends one
// (each HTTP POST, and each graphql-ws connection_init) with a secret they share; a service
// checks the signature before any GraphQL work. The signature covers what the service acts on:
// method, path, a timestamp (a small window bounds replays), the body, and the forwarded values
// it trusts — the caller's token, language, and the client key it throttles by.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Config } from '../config';
import { ErrorCode } from '../errors';

/** Carries the signature: an HTTP header, or a graphql-ws connectionParams entry of the same name. */
export const GATEWAY_SIGNATURE_HEADER = 'x-grocery-gateway-signature';

/** What a graphql-ws connection is signed as: it has no HTTP method or body of its own. */
export const WEBSOCKET_SIGNATURE_METHOD = 'GRAPHQL-WS';

/** The forwarded values a subgraph service trusts only when the gateway signed them. */
export interface ForwardedValues {
  authorization?: string;
  acceptLanguage?: string;
  clientKey?: string;
}

export interface SignedRequest {
  method: string;
  /** Path and query string as the service receives it, e.g. "/graphql". */
  path: string;
  body: string | Uint8Array;
  forwarded: ForwardedValues;
}

const VERSION = 'grocery-gateway/1';
const HEADER_FORMAT = /^t=(\d{1,12}),v1=([A-Za-z0-9_-]{43})$/;

function canonical(r: SignedRequest, timestamp: number): string {
  const bodyHash = createHash('sha256').update(r.body).digest('base64url');
  // A JSON array: no value can be crafted to shift into the next field.
  return JSON.stringify([
    VERSION,
    r.method.toUpperCase(),
    r.path,
    timestamp,
    bodyHash,
    r.forwarded.authorization ?? null,
    r.forwarded.acceptLanguage ?? null,
    r.forwarded.clientKey ?? null,
  ]);
}

const mac = (secret: string, text: string): Buffer => createHmac('sha256', secret).update(text).digest();

/** The gateway's side: signs requests to subgraph services. */
export class GatewaySigner {
  constructor(
    private readonly secret: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** The signature header's value for this request, stamped now. */
  sign(request: SignedRequest): string {
    const t = Math.floor(this.now() / 1000);
    return `t=${t},v1=${mac(this.secret, canonical(request, t)).toString('base64url')}`;
  }
}

export type SignatureRefusal = {
  ok: false;
  status: 401 | 403;
  reason: 'missing' | 'malformed' | 'expired' | 'mismatch';
  message: string;
  extensions: Record<string, unknown>;
};
export type SignatureVerdict = { ok: true } | SignatureRefusal;

export interface SignatureVerifierOptions {
  /** The current secret first; during a rotation also the previous one. */
  secrets: readonly string[];
  maxSkewSeconds: number;
  now?: () => number;
}

/** A subgraph service's side: accepts only requests signed with one of its secrets, recently. */
export class GatewaySignatureVerifier {
  private readonly now: () => number;

  constructor(private readonly opts: SignatureVerifierOptions) {
    if (opts.secrets.length === 0) throw new Error('GatewaySignatureVerifier needs at least one secret');
    this.now = opts.now ?? Date.now;
  }

  verify(header: string | undefined, request: SignedRequest): SignatureVerdict {
    if (header === undefined || header === '')
      return refusal(
        401,
        'missing',
        'This service answers only the gateway: the request carries no gateway signature.',
      );
    const m = HEADER_FORMAT.exec(header);
    if (!m) return refusal(403, 'malformed', 'The gateway signature is malformed.');
    const t = Number(m[1]);
    const max = this.opts.maxSkewSeconds;
    if (Math.abs(Math.floor(this.now() / 1000) - t) > max)
      return refusal(403, 'expired', `The gateway signature is more than ${max} s old (or ahead of this clock).`, {
        limit: 'GATEWAY_SIGNATURE_MAX_SKEW_SECONDS',
        max,
      });
    const given = Buffer.from(m[2]!, 'base64url');
    const text = canonical(request, t);
    // Every secret is tried (no early return): the time taken does not tell which one matched.
    let matched = false;
    for (const secret of this.opts.secrets) {
      const expected = mac(secret, text);
      if (expected.length === given.length && timingSafeEqual(expected, given)) matched = true;
    }
    return matched ? { ok: true } : refusal(403, 'mismatch', 'The gateway signature does not match this request.');
  }
}

function refusal(
  status: 401 | 403,
  reason: SignatureRefusal['reason'],
  message: string,
  extra: Record<string, unknown> = {},
): SignatureRefusal {
  const code = status === 401 ? ErrorCode.GATEWAY_SIGNATURE_REQUIRED : ErrorCode.GATEWAY_SIGNATURE_INVALID;
  return { ok: false, status, reason, message, extensions: { code, reason, ...extra } };
}

/** How a subgraph service treats callers: only gateway-signed requests, or (development) anyone. */
export type GatewayTrust = { verifier: GatewaySignatureVerifier } | 'allow-unsigned';

/**
 * A subgraph service's trust from config. Without GATEWAY_SIGNING_SECRET it refuses to start
 * (saying what to set) unless SUBGRAPH_ALLOW_UNSIGNED=true, which config allows outside production only.
 */
export function gatewayTrust(config: Config, serviceName: string): GatewayTrust {
  const secrets = [config.GATEWAY_SIGNING_SECRET, config.GATEWAY_SIGNING_SECRET_PREVIOUS].filter(
    (s): s is string => !!s,
  );
  if (config.GATEWAY_SIGNING_SECRET)
    return {
      verifier: new GatewaySignatureVerifier({ secrets, maxSkewSeconds: config.GATEWAY_SIGNATURE_MAX_SKEW_SECONDS }),
    };
  if (config.SUBGRAPH_ALLOW_UNSIGNED) return 'allow-unsigned';
  throw new Error(
    `${serviceName}: set GATEWAY_SIGNING_SECRET (at least 32 characters, e.g. \`openssl rand -base64 32\`; ` +
      'the same value as the gateway) so that this service answers only the gateway; ' +
      'for local development only, SUBGRAPH_ALLOW_UNSIGNED=true lets it answer anyone',
  );
}

/** The gateway's signer from config (config requires the secret whenever a subgraph is remote). */
export function gatewaySigner(config: Config): GatewaySigner {
  if (!config.GATEWAY_SIGNING_SECRET)
    throw new Error('set GATEWAY_SIGNING_SECRET: the gateway signs every request to a subgraph service with it');
  return new GatewaySigner(config.GATEWAY_SIGNING_SECRET);
}

/** A fresh secret, for tests and benchmarks that start the gateway and the services together. */
export function newGatewaySigningSecret(): string {
  return randomBytes(32).toString('base64url');
}
