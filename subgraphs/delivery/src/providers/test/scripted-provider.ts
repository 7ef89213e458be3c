// A courier that does what the test says (answer, fail, hang, refuse) and records what reached
// it: the resilience wrapper's and the fallback's tests drive it.
import {
  DeliveryOperationRefused,
  DeliveryProviderUnavailable,
  DeliveryWebhookRejected,
  type BookRequest,
  type Booking,
  type DeliveryProvider,
  type DeliveryProviderName,
  type Quote,
  type QuoteRequest,
  type ShipmentRef,
  type ShipmentUpdate,
  type WebhookOutcome,
} from '../delivery-provider';

export type Behaviour = 'ok' | 'fail' | 'unavailable' | 'hang' | 'refuse' | 'not-offered';

export class ScriptedProvider implements DeliveryProvider {
  behaviour: Behaviour = 'ok';
  /** What cancel does, separately (e.g. refuse after pickup while booking still works). */
  cancelBehaviour: Behaviour = 'ok';
  readonly calls: { method: string; arg: unknown }[] = [];
  readonly cancelled = new Set<string>();

  constructor(readonly name: DeliveryProviderName) {}

  async quote(req: QuoteRequest): Promise<Quote> {
    await this.act('quote', req, this.behaviour);
    return { provider: this.name, service: req.service, fee: 20_000 };
  }
  async book(req: BookRequest): Promise<Booking> {
    await this.act('book', req, this.behaviour);
    return { provider: this.name, providerRef: `${this.name}-${req.shipmentId}`, status: 'BOOKED', fee: 20_000 };
  }
  async bookReturn(req: BookRequest): Promise<Booking> {
    await this.act('bookReturn', req, this.behaviour);
    return { provider: this.name, providerRef: `${this.name}-R-${req.shipmentId}`, status: 'BOOKED', fee: 20_000 };
  }
  async cancel(ref: ShipmentRef): Promise<void> {
    await this.act('cancel', ref, this.cancelBehaviour);
    this.cancelled.add(ref.providerRef);
  }
  async track(ref: ShipmentRef): Promise<ShipmentUpdate> {
    await this.act('track', ref, this.behaviour);
    return {
      eventId: 'e',
      provider: this.name,
      providerRef: ref.providerRef,
      status: 'BOOKED',
      occurredAt: new Date(),
    };
  }
  async parseWebhook(): Promise<WebhookOutcome> {
    throw new DeliveryWebhookRejected('bad signature');
  }

  /** Calls of one method that reached this courier. */
  count(method: string): number {
    return this.calls.filter((c) => c.method === method).length;
  }

  private act(method: string, arg: unknown, behaviour: Behaviour): Promise<void> {
    this.calls.push({ method, arg });
    switch (behaviour) {
      case 'ok':
        return Promise.resolve();
      case 'fail':
        return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:443'));
      case 'unavailable':
        return Promise.reject(new DeliveryProviderUnavailable(this.name, `${this.name} answered HTTP 503`));
      case 'refuse':
        return Promise.reject(new DeliveryOperationRefused(this.name, 'ALREADY_PICKED_UP', 'the driver has the goods'));
      case 'not-offered':
        return Promise.reject(new DeliveryOperationRefused(this.name, 'SERVICE_NOT_OFFERED', 'not offered'));
      case 'hang':
        return new Promise<never>(() => {});
    }
  }
}
