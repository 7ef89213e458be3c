// The real payment providers the configuration enables (Stripe, MoMo), each behind the resilience
// wrapper. The local simulator and cash on delivery are chosen elsewhere, beside these.
import type { Config } from '@grocery/platform';
import { MomoPaymentProvider } from './momo/momo-provider';
import { ResilientPaymentProvider, type ResilienceOptions } from './resilient-provider';
import { StripePaymentProvider } from './stripe/stripe-provider';

export type PaymentConfig = Pick<
  Config,
  | 'STRIPE_SECRET_KEY'
  | 'STRIPE_WEBHOOK_SECRET'
  | 'STRIPE_API_URL'
  | 'MOMO_PARTNER_CODE'
  | 'MOMO_ACCESS_KEY'
  | 'MOMO_SECRET_KEY'
  | 'MOMO_ENDPOINT'
  | 'PAYMENT_CALL_TIMEOUT_MS'
  | 'PAYMENT_SLOW_CALL_TIMEOUT_MS'
  | 'PAYMENT_BREAKER_ERROR_PERCENT'
  | 'PAYMENT_BREAKER_RESET_MS'
  | 'PAYMENT_BREAKER_VOLUME'
>;

export interface ExternalProviderOptions {
  /** Our public origin as providers reach it, e.g. https://api.example.vn (no trailing slash needed). */
  webhookBaseUrl: string;
  /** Where a customer's browser returns after MoMo when the checkout names no returnUrl. */
  returnUrl?: string;
}

export function createExternalPaymentProviders(
  config: PaymentConfig,
  opts: ExternalProviderOptions,
): ResilientPaymentProvider[] {
  const base = opts.webhookBaseUrl.replace(/\/+$/, '');
  const call = config.PAYMENT_CALL_TIMEOUT_MS;
  const slow = config.PAYMENT_SLOW_CALL_TIMEOUT_MS;
  const breaker = {
    errorThresholdPercentage: config.PAYMENT_BREAKER_ERROR_PERCENT,
    resetTimeoutMs: config.PAYMENT_BREAKER_RESET_MS,
    volumeThreshold: config.PAYMENT_BREAKER_VOLUME,
  };
  const providers: ResilientPaymentProvider[] = [];

  if (config.STRIPE_SECRET_KEY && config.STRIPE_WEBHOOK_SECRET) {
    const stripe = new StripePaymentProvider({
      secretKey: config.STRIPE_SECRET_KEY,
      webhookSecret: config.STRIPE_WEBHOOK_SECRET,
      apiUrl: config.STRIPE_API_URL,
      // Per HTTP attempt; the client retries twice within the wrapper's budget for the call.
      timeoutMs: Math.max(1_000, Math.floor(call / 3)),
      maxNetworkRetries: 2,
    });
    const timeoutMs: ResilienceOptions['timeoutMs'] = {
      authorize: call,
      capture: call,
      cancel: call,
      refund: call,
      query: call,
    };
    providers.push(new ResilientPaymentProvider(stripe, { timeoutMs, ...breaker }));
  }

  if (config.MOMO_PARTNER_CODE && config.MOMO_ACCESS_KEY && config.MOMO_SECRET_KEY) {
    const momo = new MomoPaymentProvider({
      partnerCode: config.MOMO_PARTNER_CODE,
      accessKey: config.MOMO_ACCESS_KEY,
      secretKey: config.MOMO_SECRET_KEY,
      endpoint: config.MOMO_ENDPOINT,
      ipnUrl: `${base}${paymentWebhookPaths.MOMO}`,
      redirectUrl: opts.returnUrl,
      createTimeoutMs: call,
      slowTimeoutMs: slow,
    });
    // MoMo documents query, confirm and refund as taking up to 30 s; cancel is a query then a confirm.
    const timeoutMs: ResilienceOptions['timeoutMs'] = {
      authorize: call,
      capture: slow,
      cancel: 2 * slow,
      refund: 2 * slow, // may look up the transId first
      query: slow,
    };
    providers.push(new ResilientPaymentProvider(momo, { timeoutMs, ...breaker }));
  }

  return providers;
}

/** Where each provider must be told to send its webhooks (Stripe's is set in its dashboard). */
export const paymentWebhookPaths = {
  STRIPE: '/webhooks/payments/stripe',
  MOMO: '/webhooks/payments/momo',
} as const;
