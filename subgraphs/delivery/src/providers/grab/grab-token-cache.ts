// Grab partner API access tokens (OAuth 2.0 client credentials at GrabID's token endpoint,
// scope grab_express.partner_deliveries). One token is kept until shortly before it expires;
// callers arriving while it is being fetched share that one request, so a burst of bookings
// asks GrabID once. A 401 from an API call invalidates the token it used (rotated or revoked
// early) and the next caller fetches a new one.
import { DeliveryProviderUnavailable } from '../delivery-provider';
import { field, requestJson } from '../provider-http';

export const GRAB_EXPRESS_SCOPE = 'grab_express.partner_deliveries';

export interface GrabTokenOptions {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  timeoutMs: number;
  /** Refresh this long before the token's expiry (default 60 s, at most a tenth of its life). */
  refreshMarginMs?: number;
  now?: () => number;
}

interface Held {
  token: string;
  refreshAt: number;
}

export class GrabTokenCache {
  private held?: Held;
  private inflight?: Promise<Held>;
  /** Token requests sent to GrabID (tests count them). */
  fetched = 0;

  constructor(private readonly opts: GrabTokenOptions) {}

  async token(): Promise<string> {
    const now = (this.opts.now ?? Date.now)();
    if (this.held && now < this.held.refreshAt) return this.held.token;
    this.inflight ??= this.fetch().finally(() => (this.inflight = undefined));
    return (await this.inflight).token;
  }

  /** The API refused this token: forget it (unless a newer one already replaced it). */
  invalidate(token: string): void {
    if (this.held?.token === token) this.held = undefined;
  }

  private async fetch(): Promise<Held> {
    this.fetched++;
    const answer = await requestJson('GRAB', this.opts.tokenUrl, {
      method: 'POST',
      body: {
        client_id: this.opts.clientId,
        client_secret: this.opts.clientSecret,
        grant_type: 'client_credentials',
        scope: GRAB_EXPRESS_SCOPE,
      },
      timeoutMs: this.opts.timeoutMs,
    });
    const token = field(answer.body, 'access_token');
    const expiresIn = Number(field(answer.body, 'expires_in'));
    if (answer.status !== 200 || typeof token !== 'string' || !token || !(expiresIn > 0))
      // Refused credentials are an outage of this courier for us, not a business answer.
      throw new DeliveryProviderUnavailable('GRAB', `GRAB token request refused (HTTP ${answer.status})`);
    const lifeMs = expiresIn * 1000;
    const margin = Math.min(this.opts.refreshMarginMs ?? 60_000, lifeMs / 10);
    const held = { token, refreshAt: (this.opts.now ?? Date.now)() + lifeMs - margin };
    this.held = held;
    return held;
  }
}
