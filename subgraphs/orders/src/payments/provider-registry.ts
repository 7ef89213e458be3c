// The payment providers this deployment offers, by name: the simulator and cash on delivery
// always (unless PAYMENT_PROVIDERS leaves them out), Stripe and MoMo when their keys are set.
import type { PaymentProviders } from '../domain/payment-service';
import type { PaymentProvider, PaymentProviderName } from './payment-provider';

export class PaymentProviderRegistry implements PaymentProviders {
  private readonly byName = new Map<PaymentProviderName, PaymentProvider>();

  constructor(
    providers: readonly PaymentProvider[],
    private readonly enabled: readonly string[],
  ) {
    for (const p of providers) if (enabled.includes(p.name)) this.byName.set(p.name, p);
  }

  get(name: PaymentProviderName): PaymentProvider | undefined {
    return this.byName.get(name);
  }

  /** By the path segment of its webhook route (/webhooks/payments/<segment>). */
  byWebhookSegment(segment: string): PaymentProvider | undefined {
    const name = segment.toUpperCase().replace(/-/g, '_') as PaymentProviderName;
    return name === 'CASH_ON_DELIVERY' ? undefined : this.byName.get(name);
  }

  names(): PaymentProviderName[] {
    return [...this.byName.keys()];
  }
}
