// Cash on delivery (or at pickup): nothing is held up front. The order is confirmed at once with
// its payment PENDING; the cash is recorded as CAPTURED when the order is handed over (completed).
import type { AuthorizeOutcome, AuthorizeRequest, PaymentProvider, PaymentUpdate } from './payment-provider';

export class CashOnDelivery implements PaymentProvider {
  readonly name = 'CASH_ON_DELIVERY' as const;
  readonly webhookAck = { status: 404 };

  async authorize(req: AuthorizeRequest): Promise<AuthorizeOutcome> {
    return { status: 'PENDING', providerRef: `cod_${req.paymentId}` };
  }

  // Capture, cancel and refund move cash at the counter or the door: nothing to call.
  async capture(): Promise<void> {}
  async cancel(): Promise<void> {}
  async refund(): Promise<void> {}

  async query(): Promise<PaymentUpdate | null> {
    return null;
  }

  async parseWebhook(): Promise<PaymentUpdate | null> {
    return null;
  }
}
