// The gateway's request signature, as a rule: what it covers, how long it lasts, which secrets
// open it; and the settings that decide whether a service may start without it.
import { ConfigError, loadConfig } from '../config';
import {
  GatewaySignatureVerifier,
  GatewaySigner,
  gatewayTrust,
  WEBSOCKET_SIGNATURE_METHOD,
  type SignedRequest,
} from './gateway-signature';

const SECRET = 'a'.repeat(40);
const OLD_SECRET = 'b'.repeat(40);
const T0 = Date.UTC(2026, 11, 1, 12, 0, 0);

const request: SignedRequest = {
  method: 'POST',
  path: '/graphql',
  body: '{"query":"{ _entities(representations: [{__typename: \\"User\\", id: \\"u1\\"}]) { ... on User { name } } }"}',
  forwarded: { authorization: 'Bearer eyJ.token.sig', acceptLanguage: 'vi', clientKey: 'user:u1' },
};

function verifier(now = T0, secrets = [SECRET]) {
  return new GatewaySignatureVerifier({ secrets, maxSkewSeconds: 60, now: () => now });
}
const sign = (r: SignedRequest = request, at = T0, secret = SECRET) => new GatewaySigner(secret, () => at).sign(r);

describe('gateway request signature', () => {
  it('accepts the request it was made for (the control for every refusal below)', () => {
    expect(verifier().verify(sign(), request)).toEqual({ ok: true });
  });

  it('refuses a request with no signature as 401 GATEWAY_SIGNATURE_REQUIRED', () => {
    const v = verifier().verify(undefined, request);
    expect(v).toMatchObject({ ok: false, status: 401, extensions: { code: 'GATEWAY_SIGNATURE_REQUIRED' } });
    expect(verifier().verify('', request)).toMatchObject({ status: 401 });
  });

  it.each<[string, Partial<SignedRequest>]>([
    ['method', { method: 'GET' }],
    ['path', { path: '/graphql?x=1' }],
    ['body', { body: request.body.toString().replace('u1', 'u2') }],
    ['token', { forwarded: { ...request.forwarded, authorization: 'Bearer other' } }],
    ['token removed', { forwarded: { ...request.forwarded, authorization: undefined } }],
    ['language', { forwarded: { ...request.forwarded, acceptLanguage: 'en' } }],
    ['client key', { forwarded: { ...request.forwarded, clientKey: 'user:admin' } }],
    ['client key added', { forwarded: { authorization: 'Bearer eyJ.token.sig', acceptLanguage: 'vi' } }],
    ['transport (HTTP signature on a graphql-ws connection)', { method: WEBSOCKET_SIGNATURE_METHOD, body: '' }],
  ])('refuses a signed request whose %s was changed, as 403 GATEWAY_SIGNATURE_INVALID', (_what, change) => {
    const changed = { ...request, ...change };
    expect(verifier().verify(sign(), changed)).toMatchObject({
      ok: false,
      status: 403,
      reason: 'mismatch',
      extensions: { code: 'GATEWAY_SIGNATURE_INVALID' },
    });
    // Signed as changed, it passes: the refusal is about the change, nothing else.
    expect(verifier().verify(sign(changed), changed)).toEqual({ ok: true });
  });

  it('refuses a signature made with another secret, and one whose timestamp was moved', () => {
    expect(verifier().verify(sign(request, T0, 'c'.repeat(40)), request)).toMatchObject({ reason: 'mismatch' });
    const moved = sign().replace(/^t=(\d+)/, (_m, t: string) => `t=${Number(t) + 1}`);
    expect(verifier().verify(moved, request)).toMatchObject({ status: 403, reason: 'mismatch' });
  });

  it('accepts a signature up to the skew window old or ahead, and refuses one beyond it, naming the limit', () => {
    expect(verifier(T0 + 60_000).verify(sign(), request)).toEqual({ ok: true });
    expect(verifier(T0 - 60_000).verify(sign(), request)).toEqual({ ok: true });
    for (const now of [T0 + 61_000, T0 - 61_000])
      expect(verifier(now).verify(sign(), request)).toMatchObject({
        status: 403,
        reason: 'expired',
        extensions: { code: 'GATEWAY_SIGNATURE_INVALID', limit: 'GATEWAY_SIGNATURE_MAX_SKEW_SECONDS', max: 60 },
      });
  });

  it('refuses malformed signatures', () => {
    for (const bad of ['v1=abc', 't=abc,v1=' + 'A'.repeat(43), `t=${T0 / 1000},v1=short`, sign() + ',v2=x'])
      expect(verifier().verify(bad, request)).toMatchObject({ status: 403, reason: 'malformed' });
  });

  it('accepts the previous secret while rotating, and not once it is dropped', () => {
    const signedWithOld = sign(request, T0, OLD_SECRET);
    expect(verifier(T0, [SECRET, OLD_SECRET]).verify(signedWithOld, request)).toEqual({ ok: true });
    expect(verifier(T0, [SECRET, OLD_SECRET]).verify(sign(), request)).toEqual({ ok: true });
    expect(verifier(T0, [SECRET]).verify(signedWithOld, request)).toMatchObject({ reason: 'mismatch' });
  });

  it('binds a graphql-ws connection to the forwarded values it carries', () => {
    const ws: SignedRequest = { method: WEBSOCKET_SIGNATURE_METHOD, path: '/graphql', body: '', forwarded: {} };
    expect(verifier().verify(sign(ws), ws)).toEqual({ ok: true });
    const asSomeoneElse = { ...ws, forwarded: { authorization: 'Bearer stolen' } };
    expect(verifier().verify(sign(ws), asSomeoneElse)).toMatchObject({ reason: 'mismatch' });
  });
});

describe('who must have the secret', () => {
  it('a subgraph service without GATEWAY_SIGNING_SECRET refuses to start, saying what to set', () => {
    const config = loadConfig({ NODE_ENV: 'development' });
    expect(() => gatewayTrust(config, 'products')).toThrow(/products: set GATEWAY_SIGNING_SECRET/);
    expect(() => gatewayTrust(config, 'products')).toThrow(/SUBGRAPH_ALLOW_UNSIGNED=true/);
  });

  it('starts unsigned only when told to, and never in production', () => {
    expect(gatewayTrust(loadConfig({ SUBGRAPH_ALLOW_UNSIGNED: 'true' }), 'stock')).toBe('allow-unsigned');
    expect(() => loadConfig({ NODE_ENV: 'production', SUBGRAPH_ALLOW_UNSIGNED: 'true' })).toThrow(
      /SUBGRAPH_ALLOW_UNSIGNED: development only/,
    );
  });

  it('verifies with the current and the previous secret when both are set', () => {
    const trust = gatewayTrust(
      loadConfig({ GATEWAY_SIGNING_SECRET: SECRET, GATEWAY_SIGNING_SECRET_PREVIOUS: OLD_SECRET }),
      'users',
    );
    if (trust === 'allow-unsigned') throw new Error('expected a verifier');
    const now = Math.floor(Date.now() / 1000) * 1000;
    expect(trust.verifier.verify(sign(request, now, OLD_SECRET), request)).toEqual({ ok: true });
  });

  it('a gateway with any subgraph URL must have the secret', () => {
    const load = () => loadConfig({ USERS_URL: 'http://127.0.0.1:4003/graphql' }, { subgraphs: ['users'] });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/GATEWAY_SIGNING_SECRET: required when USERS_URL is set/);
    expect(() =>
      loadConfig(
        { USERS_URL: 'http://127.0.0.1:4003/graphql', GATEWAY_SIGNING_SECRET: SECRET },
        { subgraphs: ['users'] },
      ),
    ).not.toThrow();
  });

  it('refuses a secret too short to be one', () => {
    expect(() => loadConfig({ GATEWAY_SIGNING_SECRET: 'changeme' })).toThrow(/at least 32 characters/);
  });
});
