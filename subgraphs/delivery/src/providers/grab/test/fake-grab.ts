// A local fake of the GrabExpress Delivery API as its partner documentation describes it:
// GrabID client-credentials tokens (expiring, revocable), quotes, deliveries keyed by
// merchantOrderID (a second create for the same one answers 409), cancel before pickup only
// (409 after, and for one already cancelled), and details with a trackingURL once a driver is
// assigned. Tests move deliveries along with setStatus().
import { randomBytes } from 'node:crypto';
import { FakeServer, type FakeAnswer, type FakeRequest } from '../../test/fake-server';

export const FAKE_GRAB_CLIENT = { id: 'grab-client', secret: 'grab-client-secret' };
export const API = '/grab-express-sandbox';
const CANCELLABLE = new Set(['ALLOCATING', 'PENDING_PICKUP', 'PICKING_UP']);
const DRIVER_ASSIGNED = new Set(['PENDING_PICKUP', 'PICKING_UP', 'PENDING_DROP_OFF', 'IN_DELIVERY', 'COMPLETED']);

export interface FakeDelivery {
  deliveryID: string;
  merchantOrderID: string;
  status: string;
  body: Record<string, unknown>;
}

export class FakeGrab {
  readonly server = new FakeServer((req) => this.route(req));
  readonly deliveries = new Map<string, FakeDelivery>();
  tokenTtlSeconds = 3600;
  /** Per-call delay for quotes (ms), to exercise timeouts. */
  quoteDelayMs = 0;
  private readonly validTokens = new Set<string>();
  private n = 0;

  start(): Promise<string> {
    return this.server.start();
  }
  stop(): Promise<void> {
    return this.server.stop();
  }
  revokeTokens(): void {
    this.validTokens.clear();
  }
  setStatus(merchantOrderID: string, status: string): FakeDelivery {
    const d = [...this.deliveries.values()].find((x) => x.merchantOrderID === merchantOrderID)!;
    d.status = status;
    return d;
  }

  private async route(req: FakeRequest): Promise<FakeAnswer> {
    if (req.path === '/grabid/v1/oauth2/token') return this.token(req);
    const auth = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''));
    if (!auth || !this.validTokens.has(auth[1]!)) return { status: 401, body: { message: 'Unauthorized' } };
    if (req.method === 'POST' && req.path === `${API}/v1/deliveries/quotes`) {
      if (this.quoteDelayMs) await new Promise((r) => setTimeout(r, this.quoteDelayMs));
      if (!located(req.body.origin) || !located(req.body.destination))
        return { status: 400, body: { message: 'Invalid location' } };
      if (String(req.body.serviceType) === 'NEXT_DAY') return { status: 400, body: { message: 'Invalid serviceType' } };
      return { status: 200, body: { quotes: [quote(req.body)] } };
    }
    if (req.method === 'POST' && req.path === `${API}/v1/deliveries`) return this.create(req.body);
    const m = new RegExp(`^${API}/v1/deliveries/([^/]+)$`).exec(req.path);
    const d = m ? this.deliveries.get(decodeURIComponent(m[1]!)) : undefined;
    if (m && !d) return { status: 404, body: { message: 'delivery not found' } };
    if (req.method === 'GET' && d) return { status: 200, body: details(d) };
    if (req.method === 'DELETE' && d) {
      if (!CANCELLABLE.has(d.status))
        return { status: 409, body: { message: `cannot cancel a delivery in ${d.status}` } };
      d.status = 'CANCELED';
      return { status: 204 };
    }
    return { status: 404, body: { message: 'no route' } };
  }

  private token(req: FakeRequest): FakeAnswer {
    const b = req.body;
    if (
      b.client_id !== FAKE_GRAB_CLIENT.id ||
      b.client_secret !== FAKE_GRAB_CLIENT.secret ||
      b.grant_type !== 'client_credentials'
    )
      return { status: 401, body: { error: 'invalid_client' } };
    if (b.scope !== 'grab_express.partner_deliveries') return { status: 400, body: { error: 'invalid_scope' } };
    const token = `tok-${++this.n}-${randomBytes(4).toString('hex')}`;
    this.validTokens.add(token);
    return { status: 200, body: { access_token: token, token_type: 'Bearer', expires_in: this.tokenTtlSeconds } };
  }

  private create(b: Record<string, unknown>): FakeAnswer {
    const merchantOrderID = String(b.merchantOrderID ?? '');
    if (!merchantOrderID || !located(b.origin) || !located(b.destination) || !b.sender || !b.recipient)
      return { status: 400, body: { message: 'Invalid parameters' } };
    if ([...this.deliveries.values()].some((d) => d.merchantOrderID === merchantOrderID))
      return { status: 409, body: { message: 'merchantOrderID already exists' } };
    const d = {
      deliveryID: `IN-2-${randomBytes(6).toString('hex').toUpperCase()}`,
      merchantOrderID,
      status: 'ALLOCATING',
      body: b,
    };
    this.deliveries.set(d.deliveryID, d);
    return { status: 200, body: details(d) };
  }
}

const located = (x: unknown): boolean => {
  const c = (x as { coordinates?: { latitude?: unknown; longitude?: unknown } } | undefined)?.coordinates;
  return typeof c?.latitude === 'number' && typeof c?.longitude === 'number';
};

/** 12 000 VND a parcel plus 5 VND a gram: enough to tell quotes apart. */
function quote(b: Record<string, unknown>) {
  const pkg = (b.packages as { dimensions: { weight: number } }[])[0]!;
  return {
    service: { type: b.serviceType },
    currency: { code: 'VND', symbol: '₫', exponent: 0 },
    amount: 12_000 + 5 * pkg.dimensions.weight,
    estimatedTimeline: { pickup: '2026-12-07T10:15:00Z', dropoff: '2026-12-07T10:45:00Z' },
    distance: 4200,
  };
}

function details(d: FakeDelivery) {
  const assigned = DRIVER_ASSIGNED.has(d.status);
  return {
    deliveryID: d.deliveryID,
    merchantOrderID: d.merchantOrderID,
    status: d.status,
    quote: quote(d.body),
    trackingURL: assigned ? `https://express.grab.com/track/${d.deliveryID}` : '',
    courier: assigned
      ? { name: 'Nguyễn Văn Tài', phone: '84901234567', coordinates: { latitude: 10.77, longitude: 106.7 } }
      : null,
    advanceInfo: null,
  };
}
