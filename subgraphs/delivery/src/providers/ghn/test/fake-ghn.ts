// A local fake of GHN's shipping-order API as its documentation describes it: Token and ShopId
// headers on every call, fee, create (client_order_code unique per shop: a second create is
// refused as existing), detail and detail-by-client-code, and switch-status/cancel answering a
// per-order result (false once picked, or for an order already cancelled).
import { randomBytes } from 'node:crypto';
import { FakeServer, type FakeAnswer, type FakeRequest } from '../../test/fake-server';

export const FAKE_GHN = { token: 'ghn-token-0123456789', shopId: '885' };
export const API = '/shiip/public-api';
const CANCELLABLE = new Set(['ready_to_pick', 'picking']);

export interface FakeGhnOrder {
  orderCode: string;
  clientOrderCode: string;
  status: string;
  updatedDate: string;
  body: Record<string, unknown>;
}

const ok = (data: unknown): FakeAnswer => ({ status: 200, body: { code: 200, message: 'Success', data } });
const no = (message: string, codeMessage = 'USER_ERR_COMMON'): FakeAnswer => ({
  status: 400,
  body: { code: 400, message, data: null, code_message: codeMessage },
});

export class FakeGhn {
  readonly server = new FakeServer((req) => this.route(req));
  readonly orders = new Map<string, FakeGhnOrder>();

  start(): Promise<string> {
    return this.server.start();
  }
  stop(): Promise<void> {
    return this.server.stop();
  }
  setStatus(clientOrderCode: string, status: string, at = new Date().toISOString()): FakeGhnOrder {
    const o = [...this.orders.values()].find((x) => x.clientOrderCode === clientOrderCode)!;
    o.status = status;
    o.updatedDate = at;
    return o;
  }

  private route(req: FakeRequest): FakeAnswer {
    if (req.headers['token'] !== FAKE_GHN.token)
      return { status: 401, body: { code: 401, message: 'Token is invalid' } };
    if (req.headers['shopid'] !== FAKE_GHN.shopId) return no('ShopId is invalid');
    const b = req.body;
    switch (req.path) {
      case `${API}/v2/shipping-order/fee`:
        if (b.service_type_id !== 2) return no('route not found service', 'ROUTE_NOT_FOUND_SERVICE');
        return ok({ total: fee(b), service_fee: fee(b), insurance_fee: 0 });
      case `${API}/v2/shipping-order/create`:
        return this.create(b);
      case `${API}/v2/shipping-order/detail`: {
        const o = this.orders.get(String(b.order_code));
        return o ? ok(detail(o)) : no('Order not found');
      }
      case `${API}/v2/shipping-order/detail-by-client-code`: {
        const o = [...this.orders.values()].find((x) => x.clientOrderCode === b.client_order_code);
        return o ? ok(detail(o)) : no('Order not found');
      }
      case `${API}/v2/switch-status/cancel`:
        return ok(
          (b.order_codes as string[]).map((code) => {
            const o = this.orders.get(code);
            if (!o || !CANCELLABLE.has(o.status))
              return { order_code: code, result: false, message: 'Không thể hủy đơn' };
            o.status = 'cancel';
            return { order_code: code, result: true, message: 'OK' };
          }),
        );
    }
    return { status: 404, body: { code: 404, message: 'not found' } };
  }

  private create(b: Record<string, unknown>): FakeAnswer {
    const client = String(b.client_order_code ?? '');
    if (!b.to_name || !b.to_phone || !b.to_address || !b.to_ward_name || !b.service_type_id)
      return no('Thiếu thông tin');
    if ([...this.orders.values()].some((o) => o.clientOrderCode === client))
      return no('Mã đơn hàng của shop đã tồn tại (client_order_code already exists)', 'ORDER_CLIENT_CODE_EXISTED');
    const orderCode = `L${randomBytes(4).toString('hex').toUpperCase()}`;
    this.orders.set(orderCode, {
      orderCode,
      clientOrderCode: client,
      status: 'ready_to_pick',
      updatedDate: '2026-12-07T03:00:00Z',
      body: b,
    });
    return ok({ order_code: orderCode, total_fee: fee(b), expected_delivery_time: '2026-12-08T10:59:59Z' });
  }
}

/** 16 500 VND plus 1 VND a gram. */
function fee(b: Record<string, unknown>): number {
  return 16_500 + Number(b.weight);
}

function detail(o: FakeGhnOrder) {
  return {
    order_code: o.orderCode,
    client_order_code: o.clientOrderCode,
    status: o.status,
    updated_date: o.updatedDate,
    leadtime: '2026-12-08T10:59:59Z',
    total_fee: fee(o.body),
  };
}
