// What the shipment service uses from the couriers: the contract, the configured couriers, the
// fallback and the move between couriers, and the simulator's webhook header for its route.
export * from './delivery-provider';
export {
  createDeliveryProviders,
  checkDeliveryConfig,
  deliveryWebhookPaths,
  type DeliveryConfig,
} from './configured-providers';
export { bookWithFallback, rebook, movesOn, NOT_SERVED_HERE, NoCourierAvailable, RebookRefused } from './fallback';
export type { CourierAttempt, FallbackBooking } from './fallback';
export { ResilientDeliveryProvider, type DeliveryResilienceOptions } from './resilient-provider';
export { DeliverySimulator, DELIVERY_SIMULATOR_SIGNATURE_HEADER, DELIVERY_SIMULATOR_HOOKS } from './simulator';
export type { DeliverySimulatorOptions } from './simulator';
