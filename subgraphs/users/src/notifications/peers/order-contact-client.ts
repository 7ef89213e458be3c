// Who to tell about an order, from the orders subgraph's service-only orderContact
// (@inaccessible at the gateway), through the PeerClient: in process when embedded, over signed
// HTTP when distributed.
import type { PeerClient } from '@grocery/platform';
import type { OrderContact, OrderContacts } from '../domain/notification-service';

const ORDER_CONTACT = `query ($orderId: ID!) { orderContact(orderId: $orderId) {
  orderId number customerId email phone locale fulfilmentType total currency } }`;

export class OrderContactClient implements OrderContacts {
  constructor(private readonly peers: PeerClient) {}

  async forOrder(orderId: string): Promise<OrderContact | null> {
    const { orderContact: c } = await this.peers.call<{
      orderContact: {
        number: string;
        customerId: string | null;
        email: string | null;
        phone: string | null;
        locale: string;
        total: number;
      } | null;
    }>('orders', ORDER_CONTACT, { orderId });
    if (!c) return null;
    return {
      number: c.number,
      customerId: c.customerId,
      email: c.email,
      phone: c.phone,
      locale: c.locale === 'en' ? 'en' : 'vi',
      total: c.total,
    };
  }
}
