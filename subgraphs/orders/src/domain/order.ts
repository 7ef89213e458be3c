// An order as the domain sees it (no Prisma types): what was bought, at what price, and where
// it stands. Amounts are integer VND.
import type { FulfilmentType, OrderStatus, PaymentStatus } from './order-rules';
import type { PaymentProviderName } from '../payments/payment-provider';
import type { Texts } from './ports';

export type SubstitutionPreference = 'NONE' | 'BEST_MATCH' | 'SPECIFIC';

export interface OrderLineRecord {
  id: string;
  position: number;
  sku: string | null;
  bundleId: string | null;
  /** A bundle line's components per kit, as ordered. */
  components: { sku: string; quantity: number }[] | null;
  names: Texts;
  quantity: number;
  unitPrice: number;
  discount: number;
  total: number;
  substitution: SubstitutionPreference;
  substituteSku: string | null;
  note: string | null;
  pickedQuantity: number | null;
  pickedTotal: number | null;
  returnedQuantity: number;
}

export interface PaymentRecord {
  id: string;
  provider: PaymentProviderName;
  status: PaymentStatus;
  amount: number;
  captured: number;
  refunded: number;
  providerRef: string | null;
  clientSecret: string | null;
  redirectUrl: string | null;
  failureReason: string | null;
  updatedAt: Date;
}

export interface SubstitutionRecord {
  id: string;
  linePosition: number;
  sku: string;
  names: Texts;
  quantity: number;
  unitPrice: number;
  status: 'PROPOSED' | 'APPROVED' | 'REJECTED';
  proposedAt: Date;
  decidedAt: Date | null;
}

export interface Address {
  recipient: string;
  phone: string;
  line1: string;
  ward: string;
  province: string;
}

export interface OrderRecord {
  id: string;
  number: string;
  customerId: string | null;
  email: string | null;
  accessTokenHash: string | null;
  locale: 'en' | 'vi';
  status: OrderStatus;
  fulfilmentType: FulfilmentType;
  locationId: string;
  address: Address | null;
  couponCodes: string[];
  subtotal: number;
  discount: number;
  deliveryFee: number;
  total: number;
  finalTotal: number | null;
  paymentDueAt: Date | null;
  placedAt: Date;
  confirmedAt: Date | null;
  closedAt: Date | null;
  cancelReason: string | null;
  version: number;
  updatedAt: Date;
  lines: OrderLineRecord[];
  /** The latest payment attempt (an order has one; a new authorization would add another). */
  payment: PaymentRecord | null;
  substitutions: SubstitutionRecord[];
}

/**
 * Units of each SKU that lines take from the shelf, bundles expanded into their components
 * (`components` of a bundle line, per kit), SKU order. Checkout reserves these, order.placed
 * counts them, picking and returns move them.
 */
export function shelfUnits(
  lines: readonly {
    sku: string | null;
    bundleId?: string | null;
    components?: readonly { sku: string; quantity: number }[] | null;
    quantity: number;
  }[],
): { sku: string; quantity: number }[] {
  const units = new Map<string, number>();
  const add = (sku: string, n: number) => n > 0 && units.set(sku, (units.get(sku) ?? 0) + n);
  for (const l of lines) {
    if (l.sku) add(l.sku, l.quantity);
    else for (const c of l.components ?? []) add(c.sku, c.quantity * l.quantity);
  }
  return [...units].sort(([a], [b]) => a.localeCompare(b)).map(([sku, quantity]) => ({ sku, quantity }));
}
