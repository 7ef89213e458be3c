// The one config loader: every setting comes from the environment, validated once with zod.
import { z } from 'zod';

const optionalUrl = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .pipe(z.string().url().optional())
  .optional();

const int = (def: number) => z.coerce.number().int().positive().default(def);

/** Empty means unset, as for URLs. */
const blankIsUnset = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v));

/** A shared secret: long enough that guessing it is hopeless. */
const optionalSecret = blankIsUnset
  .pipe(z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -base64 32`)').optional())
  .optional();

/** An AES-256 key: base64 of exactly 32 bytes. */
const optionalAes256Key = blankIsUnset
  .pipe(
    z
      .string()
      .refine((v) => /^[A-Za-z0-9+/]+={0,2}$/.test(v) && Buffer.from(v, 'base64').length === 32, {
        message: 'must be base64 of exactly 32 bytes (e.g. `openssl rand -base64 32`)',
      })
      .optional(),
  )
  .optional();

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** PostgreSQL; when unset the gateway starts embedded PostgreSQL under DATA_DIR. */
  DATABASE_URL: optionalUrl,
  DATA_DIR: z.string().default('.data'),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(0).max(65535).default(54329),
  /** Redis for cache, bus (Redis Streams) and subscription fan-out; in-process when unset. */
  REDIS_URL: optionalUrl,
  /** Prefix for every Redis key, stream and channel (lets several deployments or test runs share one Redis). */
  REDIS_PREFIX: z.string().default('grocery:'),
  /**
   * Attempts a consumer makes at one event before giving up on it: a durable consumer then
   * stores it as a dead letter (staff list and replay them: `pnpm ops dead-letters`) and goes on
   * with the events behind it; a live one (cache eviction, subscription push) logs and drops it.
   */
  EVENT_MAX_ATTEMPTS: int(10),
  /** Longest back-off between two attempts at one event (ms); the first is 50 ms, doubling. */
  EVENT_RETRY_MAX_MS: int(5_000),
  /**
   * Redis Streams (REDIS_URL without Kafka): how long a stream keeps an event every consumer
   * group has acknowledged (history for a new group's "earliest"). Events some group has not
   * acknowledged stay past it, up to EVENT_STREAM_MAX_LEN.
   */
  EVENT_STREAM_RETENTION_SECONDS: int(86_400),
  /**
   * Redis Streams: most events a stream holds (memory), even for a group that stopped reading.
   * Groups that lose events to it are named in an error log; rebuild what they feed with
   * `pnpm ops rebuild`.
   */
  EVENT_STREAM_MAX_LEN: int(1_000_000),
  /** Comma-separated Kafka brokers; the bus uses Kafka when set (wins over Redis Streams). */
  KAFKA_BROKERS: z
    .string()
    .optional()
    .transform((v) =>
      v
        ? v
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : [],
    ),
  KAFKA_CLIENT_ID: z.string().default('grocery'),
  /** Elasticsearch for catalog search, kept current from product events; PostgreSQL search when unset. */
  ELASTICSEARCH_URL: optionalUrl,
  /** Stripe secret API key (sk_…); Stripe is offered only when it and STRIPE_WEBHOOK_SECRET are set. Never logged. */
  STRIPE_SECRET_KEY: blankIsUnset.optional(),
  /** Signing secret of our Stripe webhook endpoint (whsec_…). Never logged. */
  STRIPE_WEBHOOK_SECRET: blankIsUnset.optional(),
  /** Tests only: where the Stripe client sends requests instead of api.stripe.com (a local fake). */
  STRIPE_API_URL: optionalUrl,
  /** MoMo partner code; MoMo is offered only when it, MOMO_ACCESS_KEY and MOMO_SECRET_KEY are set. */
  MOMO_PARTNER_CODE: blankIsUnset.optional(),
  /** MoMo access key (part of every signed string). */
  MOMO_ACCESS_KEY: blankIsUnset.optional(),
  /** MoMo secret key: HMAC-SHA256 key of every request and IPN signature. Never logged. */
  MOMO_SECRET_KEY: blankIsUnset.optional(),
  /** MoMo's API origin: the sandbox by default, https://payment.momo.vn in production. */
  MOMO_ENDPOINT: z.string().trim().url().default('https://test-payment.momo.vn'),
  /** A payment-provider call that takes longer fails (PaymentProviderUnavailable) and counts against its breaker. */
  PAYMENT_CALL_TIMEOUT_MS: int(10_000),
  /** The same for calls the provider documents as slow (MoMo query and refund: at least 30 s). */
  PAYMENT_SLOW_CALL_TIMEOUT_MS: int(30_000),
  /** Percentage of failed calls (transport failures and timeouts, not declines) that opens a provider's breaker. */
  PAYMENT_BREAKER_ERROR_PERCENT: z.coerce.number().int().min(1).max(100).default(50),
  /** How long an open payment breaker fails fast before it lets one probe call through. */
  PAYMENT_BREAKER_RESET_MS: int(30_000),
  /** Calls in the breaker's window before it may open at all (a few failures on a quiet night do not). */
  PAYMENT_BREAKER_VOLUME: int(5),
  /**
   * Keep-alive connections from the gateway to each remote subgraph. Few and busy beats many:
   * measured on 2 cores, 16 served ~1.8x the throughput of 128 (bench/src/gateway.ts).
   */
  SUBGRAPH_CONNECTIONS: int(16),
  /** Identical subgraph query fetches in flight at once are made once and shared (never mutations). */
  QUERY_DEDUPLICATION: z.enum(['on', 'off']).default('on'),
  /** A fetch to a remote subgraph that takes longer fails (SUBGRAPH_UNAVAILABLE) and counts against its breaker. */
  SUBGRAPH_TIMEOUT_MS: int(10_000),
  /** Consecutive failures (refused, timed out, unreadable answer) that open a subgraph's circuit breaker. */
  SUBGRAPH_BREAKER_FAILURES: int(5),
  /** How long an open breaker fails fast before it lets one probe request through. */
  SUBGRAPH_BREAKER_COOLDOWN_MS: int(10_000),
  /**
   * Shared by the gateway and every subgraph service: the gateway signs each request to a
   * subgraph service with it (HMAC), and a service answers only signed requests. Required by
   * the gateway when any *_URL is set, and by a subgraph service unless SUBGRAPH_ALLOW_UNSIGNED.
   */
  GATEWAY_SIGNING_SECRET: optionalSecret,
  /** During a rotation: the secret being replaced, still accepted by subgraph services. */
  GATEWAY_SIGNING_SECRET_PREVIOUS: optionalSecret,
  /** A signed request older (or newer) than this is refused (clock skew plus transit). */
  GATEWAY_SIGNATURE_MAX_SKEW_SECONDS: int(60),
  /** Development only: lets a subgraph service start without GATEWAY_SIGNING_SECRET and answer anyone. */
  SUBGRAPH_ALLOW_UNSIGNED: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /**
   * Encrypts the access-token signing keys at rest (AES-256-GCM), base64 of 32 bytes. Required
   * in production; unset elsewhere, one is generated once and kept under DATA_DIR.
   */
  SIGNING_KEY_ENCRYPTION_KEY: optionalAes256Key,
  /** During a rotation: the key being replaced; keys sealed with it are re-sealed on start. */
  SIGNING_KEY_ENCRYPTION_KEY_PREVIOUS: optionalAes256Key,
  /**
   * A composed supergraph file whose join__graph URLs point at running subgraphs: the gateway
   * serves it (every layer on) in front of those subgraphs instead of this platform's own.
   */
  SUPERGRAPH_PATH: blankIsUnset.optional(),
  /** Where subgraph services and the gateway fetch the users service's public keys. */
  JWKS_URL: optionalUrl,
  JWT_ISSUER: z.string().default('grocery-supergraph'),
  JWT_AUDIENCE: z.string().default('grocery-api'),
  ACCESS_TOKEN_TTL_SECONDS: int(900),
  REFRESH_TOKEN_TTL_SECONDS: int(30 * 24 * 3600),
  /** A session can be kept alive by refreshing for at most this long after its log-in. */
  SESSION_MAX_LIFETIME_SECONDS: int(90 * 24 * 3600),
  SEED_ADMIN_EMAIL: z.string().email().optional(),
  SEED_ADMIN_PASSWORD: z.string().min(12).optional(),
  /** Loaded on first start in embedded mode (number of SKUs); 0 disables. */
  SEED_SKUS: z.coerce.number().int().min(0).default(500),
  CACHE_TTL_SECONDS: int(300),
  CACHE_LRU_ENTRIES: int(20_000),
  RESERVATION_TTL_SECONDS: int(15 * 60),
  /**
   * How often stock writes off perishable lots past their expiry (ms): an expired lot stays on
   * hand (and counted as available) for at most this long.
   */
  LOT_EXPIRY_SWEEP_MS: int(60_000),
  /** Per customer (staff exempt): ACTIVE reservations, and units across them. */
  MAX_ACTIVE_RESERVATIONS_PER_CUSTOMER: int(20),
  MAX_RESERVED_UNITS_PER_CUSTOMER: int(200),
  /**
   * Cart pricing (products' priceCart, and checkout after it): lines per cart, units per line and
   * coupon codes per call, refused with BAD_USER_INPUT (limit, max) before any work.
   */
  MAX_CART_LINES: int(200),
  MAX_CART_LINE_QUANTITY: int(999),
  MAX_CART_COUPON_CODES: int(5),
  /** Orders: how long an order waiting for payment holds its stock before it expires (released). */
  ORDER_PAYMENT_HOLD_SECONDS: int(15 * 60),
  /** Orders: a guest's cart is deleted after this long without a change; signed-in carts are kept. */
  GUEST_CART_IDLE_HOURS: int(24),
  /** Orders: a customer's orders waiting for payment at once (more is refused with RATE_LIMITED). */
  MAX_PENDING_ORDERS_PER_CUSTOMER: int(5),
  /** Orders: flat delivery fee in VND (delivery slots and zone fees come with the delivery subgraph). */
  DELIVERY_FEE: z.coerce.number().int().min(0).default(15_000),
  /** Orders: authorized above the total for weighed goods (kg/g lines), percent of those lines. */
  WEIGHED_GOODS_MARGIN_PERCENT: z.coerce.number().int().min(0).max(50).default(10),
  /** Orders: returns are accepted this many days after the order completed. */
  RETURN_WINDOW_DAYS: int(7),
  /** Orders: how often expired orders, abandoned checkouts, idle carts and pending payments are swept. */
  ORDER_SWEEP_MS: int(5_000),
  /** Delivery: seconds holdSlot keeps a slot’s unit for a checkout before it goes back by itself. */
  SLOT_HOLD_SECONDS: int(600),
  /** Delivery: live slot holds one customer (or guest address) may have at once. */
  MAX_SLOT_HOLDS_PER_CLIENT: int(2),
  /** Delivery: how many local days ahead slots are listed and held (today counts). */
  MAX_SLOT_DAYS: z.coerce.number().int().min(1).max(31).default(7),
  /** Delivery: the most items one hold may count against a slot's item capacity. */
  MAX_SLOT_HOLD_ITEMS: int(2_000),
  /** Delivery fees in VND by slot kind; same-day and next-day are free from FREE_DELIVERY_ABOVE. */
  DELIVERY_FEE_EXPRESS: z.coerce.number().int().min(0).default(45_000),
  DELIVERY_FEE_SAME_DAY: z.coerce.number().int().min(0).default(25_000),
  DELIVERY_FEE_NEXT_DAY: z.coerce.number().int().min(0).default(15_000),
  FREE_DELIVERY_ABOVE: z.coerce.number().int().min(0).default(500_000),
  /** Delivery: how often expired slot holds are swept back into capacity. */
  SLOT_SWEEP_MS: int(5_000),
  /** Delivery: cache each zone's (and pickup location's) day of slots, evicted by slot events ('off' for benchmarks). */
  SLOT_CACHE: z.enum(['on', 'off']).default('on'),
  /** Delivery: safety-net TTL of a cached day of slots (events evict it first). */
  SLOT_CACHE_SECONDS: int(60),
  /** Payment providers customers may choose (the real ones also need their keys below). */
  PAYMENT_PROVIDERS: z
    .string()
    .default('SIMULATOR,CASH_ON_DELIVERY,STRIPE,MOMO')
    .transform((v) =>
      v
        .split(',')
        .map((p) => p.trim().toUpperCase())
        .filter(Boolean),
    ),
  /** Where providers send webhooks: the public base URL of the orders routes (default: where it listens). */
  PAYMENT_WEBHOOK_BASE_URL: optionalUrl,
  /** The local payment simulator's webhook signing secret (default: a fresh one per process). */
  PAYMENT_SIMULATOR_SECRET: z.string().min(16).optional(),
  /** How long the simulator takes to answer (its webhook); sim_timeout answers after the call timeout. */
  PAYMENT_SIMULATOR_DELAY_MS: z.coerce.number().int().min(0).default(50),
  /**
   * Coupon codes a client (token subject or IP) may have refused within the window; past it,
   * further codes are refused with RATE_LIMITED unread, so codes cannot be guessed.
   */
  MAX_REJECTED_COUPON_CODES: int(10),
  REJECTED_COUPON_CODES_WINDOW_SECONDS: int(15 * 60),
  MAX_QUERY_DEPTH: int(12),
  MAX_ALIASES: int(30),
  MAX_QUERY_COST: int(20_000),
  MAX_BODY_BYTES: int(256 * 1024),
  MAX_PAGE_SIZE: int(100),
  /** Gateway response cache for anonymous catalog reads (gateway/src/plugins/response-cache.ts). */
  RESPONSE_CACHE: z.enum(['on', 'off']).default('on'),
  /** Bounds staleness no event reports (promotion windows, expiry and popularity windows): keep it short. */
  RESPONSE_CACHE_TTL_SECONDS: int(5),
  RESPONSE_CACHE_MAX_ENTRIES: int(10_000),
  /** Memory the response cache may use for answers (bytes); an answer over 1/16 of it is not cached. */
  RESPONSE_CACHE_MAX_BYTES: int(64 * 1024 * 1024),
  /** Second eviction after each event, once subgraphs have evicted their own caches from it. */
  RESPONSE_CACHE_SETTLE_MS: int(500),
  /**
   * Who may tell the gateway the client's address (X-Forwarded-For), for rate limits and logs:
   * comma-separated `loopback`, `linklocal`, `uniquelocal` (private ranges: an ingress in the
   * cluster) or IP addresses / CIDR ranges. Anyone else's header is ignored.
   */
  TRUSTED_PROXIES: z
    .string()
    .default('loopback')
    .transform((v) =>
      v
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(
          z
            .string()
            .regex(
              /^(loopback|linklocal|uniquelocal|[0-9a-fA-F:.]+(\/\d{1,3})?)$/,
              'each entry is loopback, linklocal, uniquelocal, an IP address or a CIDR range',
            ),
        )
        .min(1),
    ),
  /**
   * Browser origins allowed to call the API (CORS), comma-separated, e.g.
   * "https://shop.example.vn,https://admin.example.vn"; "*" allows any. Default: the storefront's
   * dev server (Vite, http://localhost:5173) outside production, none in production.
   */
  CORS_ORIGINS: z
    .string()
    .optional()
    .transform((v) =>
      v === undefined
        ? undefined
        : v
            .split(',')
            .map((s) => s.trim().replace(/\/$/, ''))
            .filter(Boolean),
    ),
  /** WebSocket subscriptions: per connection, per client (token subject or IP) and connections per client, per gateway. */
  MAX_SUBSCRIPTIONS_PER_CONNECTION: int(50),
  MAX_SUBSCRIPTIONS_PER_CLIENT: int(200),
  MAX_WS_CONNECTIONS_PER_CLIENT: int(20),
  /**
   * A subscriber whose socket holds more than this many unsent bytes (ws bufferedAmount: what the
   * network would not take) for WS_SLOW_CONSUMER_MS is dropped. 0: any backlog that lasts.
   */
  WS_SLOW_CONSUMER_BYTES: z.coerce.number().int().min(0).default(0),
  WS_SLOW_CONSUMER_MS: int(10_000),
  /** Events one subscriber may leave unread (queued in the gateway) before it is ended with SLOW_SUBSCRIBER. */
  SUBSCRIPTION_MAX_QUEUED_EVENTS: int(100),
  /** Requests per minute per client (token subject or IP): the cheap gate before any parsing. */
  RATE_LIMIT_PER_MINUTE: int(1200),
  /**
   * Estimated operation cost per minute per client (the cost MAX_QUERY_COST bounds per operation;
   * each operation is charged at least 1). At least MAX_QUERY_COST.
   */
  RATE_LIMIT_COST_PER_MINUTE: int(200_000),
  /** Operations one client may have in flight at once, per gateway process; the excess is refused (429). */
  MAX_CONCURRENT_OPERATIONS_PER_CLIENT: int(8),
  /** Failed log-ins per email (whether or not it has an account) per LOGIN_THROTTLE_WINDOW_SECONDS. */
  LOGIN_MAX_FAILURES_PER_EMAIL: int(5),
  /** Log-in attempts per client (token subject or IP) per LOGIN_THROTTLE_WINDOW_SECONDS. */
  LOGIN_MAX_ATTEMPTS_PER_CLIENT: int(30),
  LOGIN_THROTTLE_WINDOW_SECONDS: int(15 * 60),
  /** Sign-ups per client (token subject or IP) per SIGN_UP_THROTTLE_WINDOW_SECONDS. */
  SIGN_UP_MAX_PER_CLIENT: int(10),
  SIGN_UP_THROTTLE_WINDOW_SECONDS: int(60 * 60),
  /**
   * Longest a catalog query (browse, search, facets, popular products) may run in PostgreSQL;
   * past it the statement is cancelled and the client gets QUERY_TIMEOUT.
   */
  CATALOG_STATEMENT_TIMEOUT_MS: int(3_000),
  /** GraphiQL and introspection; default on outside production. */
  GRAPHIQL: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true')),
  OUTBOX_POLL_MS: int(200),
  /**
   * GET /metrics (Prometheus text format) on the gateway and on each subgraph service; nothing is
   * sent anywhere, Prometheus scrapes it. "off": no route and no process sampling.
   */
  METRICS: z.enum(['on', 'off']).default('on'),
  /**
   * OpenTelemetry traces (gateway → each subgraph fetch → SQL) go to this OTLP/HTTP collector
   * endpoint (e.g. http://otel-collector:4318/v1/traces). Unset (the default): no tracing at all,
   * nothing leaves the machine. OTEL_EXPORTER_OTLP_ENDPOINT (the base URL) is read too.
   */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optionalUrl,
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl,
  /** service.name on this process's spans (default: "gateway" or the subgraph's name). */
  OTEL_SERVICE_NAME: z.string().trim().min(1).max(100).optional(),
  /** Share of requests the gateway traces (subgraph services follow its decision). */
  TRACE_SAMPLE_RATIO: z.coerce.number().min(0).max(1).default(0.1),
  /** SQL statements slower than this are logged with their operation (0: every one; -1: none). */
  SLOW_QUERY_MS: z.coerce.number().int().min(-1).default(300),
  /** The gateway's subgraph fetches slower than this are logged with their operation (0: every one; -1: none). */
  SLOW_FETCH_MS: z.coerce.number().int().min(-1).default(800),

  // ---- Notifications (users service: subgraphs/users/src/notifications/) ----
  // Email and SMS about orders, payments, deliveries and returns. "outbox" (the default) only
  // records each message in users.notification (staff read them through `notifications`);
  // nothing leaves the machine. Choosing sendgrid/twilio without its credentials stops start-up.
  /** outbox | sendgrid (SENDGRID_API_KEY and SENDGRID_FROM required). */
  NOTIFICATION_EMAIL: z.enum(['outbox', 'sendgrid']).default('outbox'),
  /** outbox | twilio (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM required). */
  NOTIFICATION_SMS: z.enum(['outbox', 'twilio']).default('outbox'),
  SENDGRID_API_KEY: blankIsUnset.optional(),
  /** The verified sender, e.g. "Grocery <no-reply@grocery.vn>" or "no-reply@grocery.vn". */
  SENDGRID_FROM: blankIsUnset.optional(),
  /**
   * The Signed Event Webhook's verification key (base64 DER or PEM, from SendGrid's Mail Settings):
   * POST /webhooks/notifications/sendgrid refuses every request while it is unset.
   */
  SENDGRID_WEBHOOK_PUBLIC_KEY: blankIsUnset.optional(),
  TWILIO_ACCOUNT_SID: blankIsUnset.optional(),
  /** Also what Twilio's status callbacks are verified with (X-Twilio-Signature). */
  TWILIO_AUTH_TOKEN: blankIsUnset.optional(),
  /** A Twilio number (E.164) or alphanumeric sender id. */
  TWILIO_FROM: blankIsUnset.optional(),
  /**
   * The public URL of POST /webhooks/notifications/twilio, exactly as Twilio calls it (its
   * signature covers the URL): sent as each message's statusCallback. Unset: no status callbacks.
   */
  TWILIO_STATUS_CALLBACK_URL: optionalUrl,
  /** How often failed messages due for another attempt are retried (ms); also the first back-off. */
  NOTIFICATION_RETRY_MS: int(30_000),
  /** Attempts at one message before it is DEAD (each wait doubles, capped at 64 × NOTIFICATION_RETRY_MS). */
  NOTIFICATION_MAX_ATTEMPTS: int(6),

  // --- Couriers (delivery providers; subgraphs/delivery/src/providers) -------------------------
  // A courier named in DELIVERY_PROVIDERS without its credentials (and webhook secret) stops the
  // delivery service at start-up with a message naming what is missing (configured-providers.ts).
  /** Couriers in preference order (comma list of SIMULATOR, GRAB, VIETTELPOST, GHN); the next is tried when one is down. */
  DELIVERY_PROVIDERS: z
    .string()
    .default('SIMULATOR')
    .transform((v) =>
      v
        .split(',')
        .map((p) => p.trim().toUpperCase())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(z.enum(['SIMULATOR', 'GRAB', 'VIETTELPOST', 'GHN']))
        .min(1, 'name at least one courier (SIMULATOR, GRAB, VIETTELPOST, GHN)'),
    ),
  /**
   * Per zone, its couriers in preference order, overriding the zone's own list in the database:
   * `hcm-central:GRAB,GHN;hn-east:VIETTELPOST`. Only couriers DELIVERY_PROVIDERS enables are used;
   * after them every other enabled courier is tried.
   */
  DELIVERY_ZONE_PROVIDERS: z
    .string()
    .default('')
    .transform((v, ctx) => {
      const map: Record<string, ('SIMULATOR' | 'GRAB' | 'VIETTELPOST' | 'GHN')[]> = {};
      for (const entry of v
        .split(';')
        .map((e) => e.trim())
        .filter(Boolean)) {
        const m = /^([a-z0-9-]{1,60})\s*:\s*([A-Za-z, ]+)$/.exec(entry);
        const names =
          m?.[2]!
            .split(',')
            .map((n) => n.trim().toUpperCase())
            .filter(Boolean) ?? [];
        const bad = names.filter((n) => !['SIMULATOR', 'GRAB', 'VIETTELPOST', 'GHN'].includes(n));
        if (!m || names.length === 0 || bad.length > 0) {
          ctx.addIssue({ code: 'custom', message: `"${entry}" is not <zone>:<COURIER>[,<COURIER>…]` });
          return z.NEVER;
        }
        map[m[1]!] = names as ('SIMULATOR' | 'GRAB' | 'VIETTELPOST' | 'GHN')[];
      }
      return map;
    }),
  /** Grab Express: OAuth client of a Grab developer-portal project with scope grab_express.partner_deliveries. Never logged. */
  GRAB_CLIENT_ID: blankIsUnset.optional(),
  GRAB_CLIENT_SECRET: blankIsUnset.optional(),
  /** GrabExpress API base: the sandbox by default, https://partner-api.grab.com/grab-express in production. */
  GRAB_BASE_URL: z.string().trim().url().default('https://partner-api.grab.com/grab-express-sandbox'),
  /** The secret agreed with GrabExpress support; Grab sends it in each webhook's Authorization header. */
  GRAB_WEBHOOK_SECRET: blankIsUnset.optional(),
  /** ViettelPost: the shop's partner-portal log-in (exchanged for its long-lived token). Never logged. */
  VIETTELPOST_USERNAME: blankIsUnset.optional(),
  VIETTELPOST_PASSWORD: blankIsUnset.optional(),
  VIETTELPOST_BASE_URL: z.string().trim().url().default('https://partner.viettelpost.vn'),
  /** The secure token set for our webhook in ViettelPost's portal; it comes back as TOKEN in each webhook. */
  VIETTELPOST_WEBHOOK_TOKEN: blankIsUnset.optional(),
  /** GHN: the shop's API token and ShopId (GHN webhooks are unsigned: they only trigger a re-read). */
  GHN_TOKEN: blankIsUnset.optional(),
  GHN_SHOP_ID: blankIsUnset.optional(),
  /** GHN's API base: the test environment by default, https://online-gateway.ghn.vn/shiip/public-api in production. */
  GHN_BASE_URL: z.string().trim().url().default('https://dev-online-gateway.ghn.vn/shiip/public-api'),
  /** The courier simulator's webhook signing secret; the development default is refused in production. */
  DELIVERY_SIMULATOR_SECRET: z.string().min(16).default('dev-only-delivery-simulator-secret'),
  /** Time between two steps of a simulated delivery (assigned, picked up, each position, delivered). */
  DELIVERY_SIMULATOR_STEP_MS: int(3_000),
  /** A courier call that takes longer fails (DeliveryProviderUnavailable) and counts against its breaker. */
  DELIVERY_CALL_TIMEOUT_MS: int(10_000),
  /** Percentage of failed courier calls (outages and timeouts, not refusals) that opens its breaker. */
  DELIVERY_BREAKER_ERROR_PERCENT: z.coerce.number().int().min(1).max(100).default(50),
  /** How long an open courier breaker fails fast before it lets one probe call through. */
  DELIVERY_BREAKER_RESET_MS: int(30_000),
  /** Calls in the breaker's window before it may open at all. */
  DELIVERY_BREAKER_VOLUME: int(5),
  /**
   * Where couriers reach our /webhooks/delivery/<provider> routes (the gateway's public address);
   * unset, the address the service listens on (fine for the simulator, not for real couriers).
   */
  DELIVERY_WEBHOOK_BASE_URL: optionalUrl,
  /** How often a replica looks for ready shipments to book with a courier (and failed bookings to retry). */
  SHIPMENT_SWEEP_MS: int(5_000),
  /** Booking attempts (each trying every courier of the zone) before a shipment waits for staff. */
  SHIPMENT_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(6),
  /** The wait after the first failed attempt; doubled after each further one. */
  SHIPMENT_RETRY_BASE_MS: int(30_000),
});

export type Config = z.infer<typeof schema> & {
  graphiql: boolean;
  corsOrigins: string[];
  /**
   * Per subgraph, by lower-case name (settings named after it, so a new subgraph needs none here):
   * `<NAME>_URL` — the gateway reaches that subgraph over HTTP (distributed mode);
   * `<NAME>_DATABASE_URL` — the PostgreSQL URL of that domain's own role (`pnpm db:roles`), whose
   * role may use only its schema; unset, the domain uses DATABASE_URL.
   */
  subgraphUrls: Record<string, string>;
  /**
   * Every `<NAME>_URL` that is a URL, whichever process reads it: where a subgraph service finds
   * the peers it calls (subgraph/peer-client.ts), e.g. orders' PRODUCTS_URL and STOCK_URL.
   */
  peerUrls: Record<string, string>;
  domainDatabaseUrls: Record<string, string>;
};

export interface LoadConfigOptions {
  /**
   * The subgraphs a gateway composes: their `<NAME>_URL`s are validated, and any of them set
   * requires GATEWAY_SIGNING_SECRET. Processes that are not a gateway leave it out.
   */
  subgraphs?: readonly string[];
}

/** Where a storefront under development runs (Vite's default dev server). */
export const DEV_CORS_ORIGINS = ['http://localhost:5173', 'http://127.0.0.1:5173'];

export class ConfigError extends Error {}

/** The settings named after a subgraph or domain. */
export const subgraphUrlVariable = (name: string): string => `${name.toUpperCase()}_URL`;
export const domainDatabaseUrlVariable = (name: string): string => `${name.toUpperCase()}_DATABASE_URL`;

/** The PostgreSQL URL a domain's service connects with: its own role's, else DATABASE_URL. */
export function domainDatabaseUrl(config: Config, domain: string): string | undefined {
  return config.domainDatabaseUrls[domain] ?? config.DATABASE_URL;
}

/** Only the domain's own URL (`<DOMAIN>_DATABASE_URL`), without the DATABASE_URL fallback. */
export function ownDomainDatabaseUrl(config: Config, domain: string): string | undefined {
  return config.domainDatabaseUrls[domain];
}

/**
 * `<NAME>_URL` and `<NAME>_DATABASE_URL` settings, by lower-case name (one word: a subgraph's
 * name). Settings the schema declares itself (DATABASE_URL, REDIS_URL, JWKS_URL, ...) are not
 * subgraphs. Values are URLs; a malformed one is reported when it is read for a subgraph.
 */
function perNameUrls(env: NodeJS.ProcessEnv, suffix: '_URL' | '_DATABASE_URL'): Record<string, string> {
  const declared = new Set(Object.keys(schema.shape));
  const pattern = suffix === '_URL' ? /^([A-Z][A-Z0-9]*)_URL$/ : /^([A-Z][A-Z0-9]*)_DATABASE_URL$/;
  const urls: Record<string, string> = {};
  for (const [key, raw] of Object.entries(env)) {
    const m = pattern.exec(key);
    const value = raw?.trim();
    if (!m || declared.has(key) || !value) continue;
    if (suffix === '_URL' && key.endsWith('_DATABASE_URL')) continue;
    urls[m[1]!.toLowerCase()] = value;
  }
  return urls;
}

const isUrl = (v: string) => z.string().url().safeParse(v).success;

export function loadConfig(env: NodeJS.ProcessEnv = process.env, options: LoadConfigOptions = {}): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  const subgraphUrls = perNameUrls(env, '_URL');
  const domainDatabaseUrls = perNameUrls(env, '_DATABASE_URL');
  const conflicts = [
    ...crossFieldIssues(c, subgraphUrls, options.subgraphs ?? []),
    ...Object.entries(domainDatabaseUrls)
      .filter(([, url]) => !isUrl(url))
      .map(([name]) => `${domainDatabaseUrlVariable(name)}: Invalid url`),
  ];
  if (conflicts.length > 0)
    throw new ConfigError(`Invalid configuration:\n${conflicts.map((l) => `  ${l}`).join('\n')}`);
  return {
    ...c,
    graphiql: c.GRAPHIQL ?? c.NODE_ENV !== 'production',
    corsOrigins: c.CORS_ORIGINS ?? (c.NODE_ENV === 'production' ? [] : DEV_CORS_ORIGINS),
    subgraphUrls: Object.fromEntries(
      Object.entries(subgraphUrls).filter(([name]) => (options.subgraphs ?? []).includes(name)),
    ),
    peerUrls: Object.fromEntries(Object.entries(subgraphUrls).filter(([, url]) => isUrl(url))),
    domainDatabaseUrls,
  };
}

/** Rules that span several settings. */
function crossFieldIssues(
  c: z.infer<typeof schema>,
  subgraphUrls: Record<string, string>,
  subgraphs: readonly string[],
): string[] {
  const issues: string[] = [];
  const set = subgraphs.filter((name) => subgraphUrls[name]);
  for (const name of set) if (!isUrl(subgraphUrls[name]!)) issues.push(`${subgraphUrlVariable(name)}: Invalid url`);
  const remote = set.map(subgraphUrlVariable);
  if (remote.length > 0 && !c.GATEWAY_SIGNING_SECRET)
    issues.push(
      `GATEWAY_SIGNING_SECRET: required when ${remote.join(', ')} ${remote.length > 1 ? 'are' : 'is'} set ` +
        '(the gateway signs every request to a subgraph service with it); give every subgraph service the same value',
    );
  if (c.RATE_LIMIT_COST_PER_MINUTE < c.MAX_QUERY_COST)
    issues.push(
      `RATE_LIMIT_COST_PER_MINUTE: ${c.RATE_LIMIT_COST_PER_MINUTE} is below MAX_QUERY_COST (${c.MAX_QUERY_COST}); ` +
        'an operation the cost limit allows could never run',
    );
  if (c.SUBGRAPH_ALLOW_UNSIGNED && c.NODE_ENV === 'production')
    issues.push('SUBGRAPH_ALLOW_UNSIGNED: development only; in production set GATEWAY_SIGNING_SECRET instead');
  return issues;
}
