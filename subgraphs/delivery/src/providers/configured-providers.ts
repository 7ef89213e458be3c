// The couriers the configuration enables, in DELIVERY_PROVIDERS order (the fallback's preference
// order), each behind the resilience wrapper. A courier named without its credentials or webhook
// secret is a start-up error naming what is missing, not a courier that fails on first use.
import { ConfigError, createLogger, type Config, type Logger } from '@grocery/platform';
import type { DeliveryProviderName } from './delivery-provider';
import { GhnDeliveryProvider } from './ghn/ghn-provider';
import { GrabDeliveryProvider } from './grab/grab-provider';
import { ResilientDeliveryProvider } from './resilient-provider';
import { DeliverySimulator } from './simulator';
import { ViettelPostDeliveryProvider } from './viettelpost/viettelpost-provider';

export type DeliveryConfig = Pick<
  Config,
  | 'NODE_ENV'
  | 'LOG_LEVEL'
  | 'DELIVERY_PROVIDERS'
  | 'GRAB_CLIENT_ID'
  | 'GRAB_CLIENT_SECRET'
  | 'GRAB_BASE_URL'
  | 'GRAB_WEBHOOK_SECRET'
  | 'VIETTELPOST_USERNAME'
  | 'VIETTELPOST_PASSWORD'
  | 'VIETTELPOST_BASE_URL'
  | 'VIETTELPOST_WEBHOOK_TOKEN'
  | 'GHN_TOKEN'
  | 'GHN_SHOP_ID'
  | 'GHN_BASE_URL'
  | 'DELIVERY_SIMULATOR_SECRET'
  | 'DELIVERY_SIMULATOR_STEP_MS'
  | 'DELIVERY_CALL_TIMEOUT_MS'
  | 'DELIVERY_BREAKER_ERROR_PERCENT'
  | 'DELIVERY_BREAKER_RESET_MS'
  | 'DELIVERY_BREAKER_VOLUME'
>;

export interface DeliveryProviderWiring {
  /** Where the simulator posts its webhooks (our /webhooks/delivery/simulator), once the service listens. */
  webhookUrl: () => string | undefined;
  logger?: Logger;
}

/** Where each courier must be told to send its webhooks (Grab's via its support, the others in their portals). */
export const deliveryWebhookPaths: Record<DeliveryProviderName, string> = {
  SIMULATOR: '/webhooks/delivery/simulator',
  GRAB: '/webhooks/delivery/grab',
  VIETTELPOST: '/webhooks/delivery/viettelpost',
  GHN: '/webhooks/delivery/ghn',
};

const DEV_SIMULATOR_SECRET = 'dev-only-delivery-simulator-secret';

const REQUIRED: Record<DeliveryProviderName, (keyof DeliveryConfig)[]> = {
  SIMULATOR: [],
  GRAB: ['GRAB_CLIENT_ID', 'GRAB_CLIENT_SECRET', 'GRAB_WEBHOOK_SECRET'],
  VIETTELPOST: ['VIETTELPOST_USERNAME', 'VIETTELPOST_PASSWORD', 'VIETTELPOST_WEBHOOK_TOKEN'],
  GHN: ['GHN_TOKEN', 'GHN_SHOP_ID'],
};

export function createDeliveryProviders(
  config: DeliveryConfig,
  wiring: DeliveryProviderWiring,
): ResilientDeliveryProvider[] {
  checkDeliveryConfig(config);
  const resilience = {
    timeoutMs: config.DELIVERY_CALL_TIMEOUT_MS,
    errorThresholdPercentage: config.DELIVERY_BREAKER_ERROR_PERCENT,
    resetTimeoutMs: config.DELIVERY_BREAKER_RESET_MS,
    volumeThreshold: config.DELIVERY_BREAKER_VOLUME,
  };
  const requestTimeoutMs = config.DELIVERY_CALL_TIMEOUT_MS;
  const names = [...new Set(config.DELIVERY_PROVIDERS)];
  return names.map((name) => {
    switch (name) {
      case 'SIMULATOR':
        return new ResilientDeliveryProvider(
          new DeliverySimulator({
            secret: config.DELIVERY_SIMULATOR_SECRET,
            stepMs: config.DELIVERY_SIMULATOR_STEP_MS,
            webhookUrl: wiring.webhookUrl,
            logger: wiring.logger ?? createLogger(config.LOG_LEVEL, 'delivery-simulator'),
          }),
          resilience,
        );
      case 'GRAB':
        return new ResilientDeliveryProvider(
          new GrabDeliveryProvider({
            clientId: config.GRAB_CLIENT_ID!,
            clientSecret: config.GRAB_CLIENT_SECRET!,
            baseUrl: config.GRAB_BASE_URL,
            webhookSecret: config.GRAB_WEBHOOK_SECRET!,
            requestTimeoutMs,
          }),
          resilience,
        );
      case 'VIETTELPOST':
        return new ResilientDeliveryProvider(
          new ViettelPostDeliveryProvider({
            username: config.VIETTELPOST_USERNAME!,
            password: config.VIETTELPOST_PASSWORD!,
            baseUrl: config.VIETTELPOST_BASE_URL,
            webhookToken: config.VIETTELPOST_WEBHOOK_TOKEN!,
            requestTimeoutMs,
          }),
          resilience,
        );
      case 'GHN':
        return new ResilientDeliveryProvider(
          new GhnDeliveryProvider({
            token: config.GHN_TOKEN!,
            shopId: config.GHN_SHOP_ID!,
            baseUrl: config.GHN_BASE_URL,
            requestTimeoutMs,
          }),
          resilience,
        );
    }
  });
}

/** Start-up check: every named courier has what it needs. Throws ConfigError listing every gap. */
export function checkDeliveryConfig(config: DeliveryConfig): void {
  const issues: string[] = [];
  for (const name of config.DELIVERY_PROVIDERS) {
    const missing = REQUIRED[name].filter((key) => !config[key]);
    if (missing.length > 0) issues.push(`DELIVERY_PROVIDERS names ${name}, which needs ${missing.join(', ')} (unset)`);
  }
  if (
    config.NODE_ENV === 'production' &&
    config.DELIVERY_PROVIDERS.includes('SIMULATOR') &&
    config.DELIVERY_SIMULATOR_SECRET === DEV_SIMULATOR_SECRET
  )
    issues.push(
      'DELIVERY_SIMULATOR_SECRET: the development default is public; set your own or leave SIMULATOR out of DELIVERY_PROVIDERS',
    );
  if (issues.length > 0) throw new ConfigError(`Invalid configuration:\n${issues.map((i) => `  ${i}`).join('\n')}`);
}
