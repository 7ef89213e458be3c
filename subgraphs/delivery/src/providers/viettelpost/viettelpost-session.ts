// ViettelPost's log-in for one shop: POST /v2/user/Login with the shop's USERNAME/PASSWORD
// gives a short-lived token; POST /v2/user/ownerconnect with it (Token header) and the same
// credentials gives the long-lived token every order call sends as `Token`. It is kept until an
// hour before the expiry ViettelPost states (if it states one) or until ViettelPost refuses it;
// calls arriving during a log-in share it.
import { DeliveryProviderUnavailable } from '../delivery-provider';
import { field, requestJson, type JsonAnswer } from '../provider-http';

interface HeldToken {
  token: string;
  refreshAt: number;
}

export class ViettelPostSession {
  /** Log-ins performed (tests count them). */
  logins = 0;
  private held?: HeldToken;
  private inflight?: Promise<HeldToken>;

  constructor(
    private readonly opts: {
      baseUrl: string;
      username: string;
      password: string;
      timeoutMs: number;
      now: () => number;
    },
  ) {}

  async token(): Promise<string> {
    if (this.held && this.opts.now() < this.held.refreshAt) return this.held.token;
    this.inflight ??= this.logIn().finally(() => (this.inflight = undefined));
    return (await this.inflight).token;
  }

  /** ViettelPost refused this token: forget it (unless a newer one replaced it). */
  invalidate(token: string): void {
    if (this.held?.token === token) this.held = undefined;
  }

  private async logIn(): Promise<HeldToken> {
    this.logins++;
    const credentials = { USERNAME: this.opts.username, PASSWORD: this.opts.password };
    const login = await requestJson('VIETTELPOST', `${this.opts.baseUrl}/v2/user/Login`, {
      method: 'POST',
      body: credentials,
      timeoutMs: this.opts.timeoutMs,
    });
    const shortToken = scalar(field(field(login.body, 'data'), 'token'));
    if (!succeeded(login) || !shortToken)
      throw new DeliveryProviderUnavailable('VIETTELPOST', `VIETTELPOST log-in refused: ${messageOf(login)}`);
    const owner = await requestJson('VIETTELPOST', `${this.opts.baseUrl}/v2/user/ownerconnect`, {
      method: 'POST',
      headers: { Token: shortToken },
      body: credentials,
      timeoutMs: this.opts.timeoutMs,
    });
    const data = field(owner.body, 'data');
    const token = scalar(field(data, 'token'));
    if (!succeeded(owner) || !token)
      throw new DeliveryProviderUnavailable('VIETTELPOST', `VIETTELPOST ownerconnect refused: ${messageOf(owner)}`);
    const now = this.opts.now();
    const expired = Number(field(data, 'expired'));
    // Kept until an hour before its stated expiry, or until ViettelPost refuses it.
    const held = { token, refreshAt: expired > now ? expired - Math.min(3_600_000, (expired - now) / 10) : Infinity };
    this.held = held;
    return held;
  }
}

/** ViettelPost answers HTTP 200 with {status, error, message, data}; status 200 without error is success. */
export function succeeded(answer: JsonAnswer): boolean {
  return answer.status === 200 && Number(field(answer.body, 'status')) === 200 && field(answer.body, 'error') !== true;
}

export function messageOf(answer: JsonAnswer): string {
  const message = field(answer.body, 'message');
  return typeof message === 'string' && message !== '' ? message : `HTTP ${answer.status}`;
}

function scalar(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
