// One error family: every error a client sees carries a stable extensions.code.
import { GraphQLError, type GraphQLFormattedError } from 'graphql';

export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  OUT_OF_STOCK: 'OUT_OF_STOCK',
  RATE_LIMITED: 'RATE_LIMITED',
  /** A subgraph could not be reached (down, timed out, or its circuit breaker is open): partial data. */
  SUBGRAPH_UNAVAILABLE: 'SUBGRAPH_UNAVAILABLE',
  /** A WebSocket client asked for more subscriptions than one connection or one client may hold. */
  TOO_MANY_SUBSCRIPTIONS: 'TOO_MANY_SUBSCRIPTIONS',
  /** A subscriber left more events unread than the gateway queues for one; its subscription ended. */
  SLOW_SUBSCRIBER: 'SLOW_SUBSCRIBER',
  /** A subgraph service was called without the gateway's signature (401). */
  GATEWAY_SIGNATURE_REQUIRED: 'GATEWAY_SIGNATURE_REQUIRED',
  /** A subgraph service was called with a forged, altered, malformed or stale gateway signature (403). */
  GATEWAY_SIGNATURE_INVALID: 'GATEWAY_SIGNATURE_INVALID',
  /** A query ran past its time limit (e.g. CATALOG_STATEMENT_TIMEOUT_MS) and was stopped; narrow it or retry. */
  QUERY_TIMEOUT: 'QUERY_TIMEOUT',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export class AppError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extra: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extra } });
  }
}

export const badInput = (message: string, field?: string) =>
  new AppError(ErrorCode.BAD_USER_INPUT, message, field ? { field } : {});
export const notFound = (message: string) => new AppError(ErrorCode.NOT_FOUND, message);
export const unauthenticated = (message = 'Sign in to do this.') => new AppError(ErrorCode.UNAUTHENTICATED, message);
export const forbidden = (message = 'You are not allowed to do this.') => new AppError(ErrorCode.FORBIDDEN, message);
export const conflict = (message: string) => new AppError(ErrorCode.CONFLICT, message);

const SAFE_CODES = new Set<string>([
  // Not INTERNAL_SERVER_ERROR: Apollo gives that code to every uncoded error before formatError,
  // so letting it through would show the original message (SQL, a bug) to the client.
  ...Object.values(ErrorCode).filter((c) => c !== ErrorCode.INTERNAL_SERVER_ERROR),
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'QUERY_TOO_COMPLEX',
  'PAYLOAD_TOO_LARGE',
]);

/** Whether an error with this extensions.code is one of ours, meant for the client (else: a bug to log). */
export function isClientError(code: unknown): boolean {
  return typeof code === 'string' && SAFE_CODES.has(code);
}

/**
 * Keeps what a client may see: coded errors pass; anything else (a bug, SQL, a stack)
 * becomes a generic INTERNAL_SERVER_ERROR. Used by the gateway and every subgraph server.
 */
export function formatError(formatted: GraphQLFormattedError, original?: unknown): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && SAFE_CODES.has(code)) {
    const { stacktrace: _s, exception: _e, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
    return { ...formatted, extensions };
  }
  void original;
  return {
    message: 'Internal server error',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  };
}
