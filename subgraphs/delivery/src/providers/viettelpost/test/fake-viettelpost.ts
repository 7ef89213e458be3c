// A local fake of ViettelPost's partner API v2 as its partner guide describes it: Login then
// ownerconnect for the long-lived shop token (revocable), getPrice, createOrder (a second one
// with the same ORDER_NUMBER is refused as existing), UpdateOrder TYPE 4 (cancel before pickup
// only; again on a cancelled order answers "already cancelled"). Every answer is HTTP 200 with
// {status, error, message, data}, as ViettelPost answers.
import { randomBytes } from 'node:crypto';
import { FakeServer, type FakeAnswer, type FakeRequest } from '../../test/fake-server';

export const FAKE_VTP_USER = { username: 'shop@example.vn', password: 'vtp-password' };

export interface FakeVtpOrder {
  waybill: string;
  orderNumber: string;
  status: number;
  body: Record<string, unknown>;
}

const ok = (data: unknown): FakeAnswer => ({ status: 200, body: { status: 200, error: false, message: 'OK', data } });
const no = (status: number, message: string): FakeAnswer => ({
  status: 200,
  body: { status, error: true, message, data: null },
});

export class FakeViettelPost {
  readonly server = new FakeServer((req) => this.route(req));
  readonly orders = new Map<string, FakeVtpOrder>();
  private readonly shortTokens = new Set<string>();
  private readonly ownerTokens = new Set<string>();

  start(): Promise<string> {
    return this.server.start();
  }
  stop(): Promise<void> {
    return this.server.stop();
  }
  revokeTokens(): void {
    this.ownerTokens.clear();
  }
  setStatus(orderNumber: string, status: number): FakeVtpOrder {
    const o = [...this.orders.values()].find((x) => x.orderNumber === orderNumber)!;
    o.status = status;
    return o;
  }

  private route(req: FakeRequest): FakeAnswer {
    const b = req.body;
    if (req.path === '/v2/user/Login') {
      if (b.USERNAME !== FAKE_VTP_USER.username || b.PASSWORD !== FAKE_VTP_USER.password)
        return no(400, 'Sai tên đăng nhập hoặc mật khẩu');
      const token = `short-${randomBytes(4).toString('hex')}`;
      this.shortTokens.add(token);
      return ok({ userId: 1, token, partner: 1, phone: '0900000000', expired: Date.now() + 86_400_000 });
    }
    const token = String(req.headers['token'] ?? '');
    if (req.path === '/v2/user/ownerconnect') {
      if (!this.shortTokens.has(token)) return no(401, 'Token không hợp lệ');
      if (b.USERNAME !== FAKE_VTP_USER.username || b.PASSWORD !== FAKE_VTP_USER.password)
        return no(400, 'Sai tài khoản');
      const owner = `owner-${randomBytes(4).toString('hex')}`;
      this.ownerTokens.add(owner);
      return ok({ userId: 1, token: owner, partner: 1 });
    }
    if (!this.ownerTokens.has(token))
      return { status: 401, body: { status: 401, error: true, message: 'Token invalid' } };
    if (req.path === '/v2/order/getPrice') {
      if (!b.ORDER_SERVICE || !b.PRODUCT_WEIGHT) return no(204, 'Thiếu thông tin');
      return ok({ MONEY_TOTAL: price(b), MONEY_TOTAL_FEE: price(b), KPI_HT: 24 });
    }
    if (req.path === '/v2/order/createOrder') return this.create(b);
    if (req.path === '/v2/order/UpdateOrder') {
      const o = this.orders.get(String(b.ORDER_NUMBER));
      if (!o) return no(204, 'Không tìm thấy vận đơn');
      if (b.TYPE !== 4) return no(204, 'Loại cập nhật không hỗ trợ');
      if (o.status === 107) return no(204, 'Đơn hàng đã hủy');
      if (o.status >= 105 && o.status !== 106) return no(204, 'Đơn hàng đã lấy hàng, không thể hủy');
      o.status = 107;
      return ok(null);
    }
    return { status: 404, body: { status: 404, error: true, message: 'Not found' } };
  }

  private create(b: Record<string, unknown>): FakeAnswer {
    const orderNumber = String(b.ORDER_NUMBER ?? '');
    if (!orderNumber || !b.SENDER_ADDRESS || !b.RECEIVER_ADDRESS || !b.ORDER_SERVICE)
      return no(204, 'Thiếu thông tin đơn hàng');
    if ([...this.orders.values()].some((o) => o.orderNumber === orderNumber)) return no(204, 'Mã đơn hàng đã tồn tại');
    const waybill = `1${randomBytes(5).readUIntBE(0, 5)}`.slice(0, 11);
    this.orders.set(waybill, { waybill, orderNumber, status: -100, body: b });
    return ok({ ORDER_NUMBER: waybill, MONEY_COLLECTION: b.MONEY_COLLECTION, MONEY_TOTAL: price(b), KPI_HT: 24 });
  }
}

/** 18 000 VND plus 2 VND a gram; hoả tốc (VHT) costs double. */
function price(b: Record<string, unknown>): number {
  const base = 18_000 + 2 * Number(b.PRODUCT_WEIGHT);
  return b.ORDER_SERVICE === 'VHT' ? 2 * base : base;
}
