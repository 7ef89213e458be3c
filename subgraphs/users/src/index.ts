// The users subgraph: accounts, sessions (access JWTs + rotating refresh tokens) and the keys
// that sign them, customers' contact data and notification consent, and the notifications
// consumer (notifications/). Wires data, domain, schema, events and the JWKS and webhook routes.
import 'reflect-metadata';
import {
  buildFederatedSchema,
  createPeerClient,
  databaseAnswers,
  DeadLetterStore,
  defineSubgraph,
  OutboxRelay,
  type SubgraphDeps,
  type SubgraphModule,
} from '@grocery/platform';
import type { JWTVerifyGetKey } from 'jose';
import { createUsersContext, type UsersContext } from './context';
import { createUsersDb } from './data/db';
import { SessionRepository } from './data/session-repository';
import { signingKeyEncryption } from './data/signing-key-encryption';
import { SigningKeyRepository } from './data/signing-key-repository';
import { UserRepository } from './data/user-repository';
import { AccessTokenIssuer } from './domain/access-token-issuer';
import { AccountProvisioning, type AccountSpec } from './domain/account-provisioning';
import { AccountService } from './domain/account-service';
import { PasswordHasher } from './domain/password-hasher';
import { SessionService } from './domain/session-service';
import { SignInThrottle } from './domain/sign-in-throttle';
import { SigningKeyRing, type JsonWebKeySet } from './domain/signing-key-ring';
import { jwksRoute } from './http/jwks-route';
import {
  configuredSenders,
  createNotifications,
  NOTIFICATION_WEBHOOK_PATH,
  NotificationResolver,
  type Notifications,
} from './notifications';
import { ProfileResolver } from './schema/profile-resolver';
import { SessionResolver } from './schema/session-resolver';
import { UserResolver, userReference } from './schema/user-resolver';

export { USERS_TOPIC, UserEventType, type UserSignedUpData } from './events/user-events';
export { JWKS_PATH } from './http/jwks-route';
export type { UsersContext };

/** Leeway for clocks between the signer and the verifiers when dropping retired keys. */
const CLOCK_SKEW_SECONDS = 60;
const PURGE_EVERY_MS = 60 * 60 * 1000;

export interface UsersSubgraph extends SubgraphModule<UsersContext> {
  /** Public keys for jose's jwtVerify; re-read when a token names an unknown key (rotation). */
  readonly verificationKeys: JWTVerifyGetKey;
  /** Creates an account or updates its password and roles (SEED_ADMIN_*, dev admin, tests). */
  ensureAccount(input: AccountSpec): Promise<void>;
  /** The JWKS document served at /.well-known/jwks.json. */
  jwks(): JsonWebKeySet;
  /** Email and SMS about orders (tests swap its senders and run its sweeper). */
  readonly notifications: Notifications;
}

/** The subgraph schema alone (for composition and SDL printing). */
export function buildUsersSchema() {
  return buildFederatedSchema({
    resolvers: [UserResolver, SessionResolver, ProfileResolver, NotificationResolver],
    extraResolvers: userReference,
  });
}

export async function createUsersSubgraph(deps: SubgraphDeps): Promise<UsersSubgraph> {
  const { config } = deps;
  // First: a provider chosen without its credentials stops start-up before anything is opened.
  const senders = configuredSenders(config);
  const encryption = signingKeyEncryption(config);
  const db = createUsersDb(deps.databaseUrl);
  const relay = new OutboxRelay({ db, bus: deps.bus, logger: deps.logger, pollMs: config.OUTBOX_POLL_MS });
  const ring = new SigningKeyRing(new SigningKeyRepository(db, encryption.box), {
    retiredKeyGraceSeconds: config.ACCESS_TOKEN_TTL_SECONDS + CLOCK_SKEW_SECONDS,
  });
  const users = new UserRepository(db);
  const hasher = new PasswordHasher();
  const sessions = new SessionService(
    new SessionRepository(db),
    users,
    new AccessTokenIssuer(ring, {
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      ttlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    }),
    { refreshTtlSeconds: config.REFRESH_TOKEN_TTL_SECONDS, maxLifetimeSeconds: config.SESSION_MAX_LIFETIME_SECONDS },
  );
  const loginWindowMs = config.LOGIN_THROTTLE_WINDOW_SECONDS * 1000;
  const throttle = new SignInThrottle({
    failedLogInsPerEmail: deps.caches.rateLimiter({
      name: 'users:login-failures',
      limit: config.LOGIN_MAX_FAILURES_PER_EMAIL,
      windowMs: loginWindowMs,
    }),
    logInsPerClient: deps.caches.rateLimiter({
      name: 'users:logins',
      limit: config.LOGIN_MAX_ATTEMPTS_PER_CLIENT,
      windowMs: loginWindowMs,
    }),
    signUpsPerClient: deps.caches.rateLimiter({
      name: 'users:sign-ups',
      limit: config.SIGN_UP_MAX_PER_CLIENT,
      windowMs: config.SIGN_UP_THROTTLE_WINDOW_SECONDS * 1000,
    }),
  });
  const notifications = createNotifications({
    config,
    senders,
    logger: deps.logger,
    db,
    bus: deps.bus,
    users,
    peers: createPeerClient({ self: 'users', peers: deps.peers, config }),
  });
  const deadLetters = new DeadLetterStore({ db, schema: 'users', logger: deps.logger });
  const accounts = new AccountService(users, hasher, sessions, () => relay.wake(), throttle);
  const provisioning = new AccountProvisioning(users, hasher);
  const schema = await buildUsersSchema();
  // Keys are needed before start(): the host builds its token verifier right after creating us.
  try {
    const { sealed, resealed } = await ring.init();
    if (sealed + resealed > 0)
      deps.logger.info({ sealed, resealed }, 'signing keys encrypted at rest with the current encryption key');
  } catch (err) {
    await db.$disconnect();
    throw err;
  }
  if (encryption.source !== 'SIGNING_KEY_ENCRYPTION_KEY')
    deps.logger.info(
      { file: encryption.source },
      'signing keys encrypted with a development key kept in DATA_DIR; set SIGNING_KEY_ENCRYPTION_KEY in production',
    );
  let purgeTimer: NodeJS.Timeout | undefined;

  return {
    name: 'users',
    schema,
    verificationKeys: ring.verificationKeys,
    notifications,
    createContext: (request) => createUsersContext(request, accounts, sessions, notifications.store),
    routes: (app) => {
      jwksRoute(() => ring.jwks())(app);
      notifications.routes(app);
    },
    jwks: () => ring.jwks(),
    async ensureAccount(input) {
      await provisioning.ensureAccount(input);
    },
    async start() {
      relay.start();
      ring.startRefreshing();
      await notifications.start(deadLetters);
      purgeTimer = setInterval(() => {
        sessions.purgeExpired().catch((err) => deps.logger.warn({ err }, 'purging expired refresh tokens failed'));
      }, PURGE_EVERY_MS);
      purgeTimer.unref();
    },
    async stop() {
      clearInterval(purgeTimer);
      await notifications.stop();
      await deadLetters.close();
      ring.stop();
      await relay.stop();
      await db.$disconnect();
    },
    healthy: () => databaseAnswers(db),
  };
}

/**
 * The users subgraph as the gateway's registry and its own service know it. It signs access
 * tokens, so it starts first and verifies them with its own keys (it is where JWKS_URL points).
 */
export const usersSubgraph = defineSubgraph({
  name: 'users',
  defaultPort: 4003,
  buildSchema: buildUsersSchema,
  create: createUsersSubgraph,
  issuesTokens: true,
  publicPaths: [NOTIFICATION_WEBHOOK_PATH],
  serviceKeys: (users) => users.verificationKeys,
  // SEED_ADMIN_EMAIL / SEED_ADMIN_PASSWORD create or update an admin in every mode; in
  // distributed mode the users service is where accounts live, so it does it.
  onServiceStarted: async (users, config) => {
    if (config.SEED_ADMIN_EMAIL && config.SEED_ADMIN_PASSWORD) {
      await users.ensureAccount({
        email: config.SEED_ADMIN_EMAIL,
        password: config.SEED_ADMIN_PASSWORD,
        name: 'Administrator',
        roles: ['admin', 'staff'],
      });
    }
  },
});
