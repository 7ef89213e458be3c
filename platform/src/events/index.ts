// Events: the envelope, the Bus and its transports, the transactional outbox and its relay,
// and idempotent consumers.
export * from './envelope';
export * from './bus';
export * from './outbox';
export * from './outbox-relay';
export * from './idempotent-handler';
export type { BackoffOptions } from './retry';
export * from './in-process-bus';
export * from './redis-streams-bus';
export * from './kafka-bus';
export * from './create-bus';
export * from './dead-letters';
