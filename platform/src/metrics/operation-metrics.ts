// Request count, errors and latency per GraphQL operation, as an Apollo plugin: the gateway's
// (gateway_operation_*) and each subgraph service's (subgraph_operation_*{subgraph}). Labels are
// bounded: the operation name (BoundedLabel), its type and first root field (only once the
// operation validated, so the schema bounds them), and for errors the first error's code as the
// client sees it (anything unlisted is INTERNAL_SERVER_ERROR, as formatError makes it).
import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type OperationDefinitionNode } from 'graphql';
import { ErrorCode, isClientError } from '../errors';
import { BoundedLabel } from './bounded-label';
import { counter, histogram } from './registry';

export interface OperationMetricsOptions {
  /** "gateway" or "subgraph": the series' prefix. */
  server: 'gateway' | 'subgraph';
  /** Set on every series of this server, e.g. { subgraph: 'products' }. */
  labels?: Record<string, string>;
  /** Distinct operation names with a series of their own (default 100). */
  maxOperationNames?: number;
}

/** The first root field of a validated operation ("_entities" for the gateway's entity fetches). */
function rootField(operation: OperationDefinitionNode | undefined): string {
  const first = operation?.selectionSet.selections.find((s) => s.kind === Kind.FIELD);
  return first?.kind === Kind.FIELD ? first.name.value : 'none';
}

export function errorCodeLabel(code: unknown): string {
  return isClientError(code) ? (code as string) : ErrorCode.INTERNAL_SERVER_ERROR;
}

export function operationMetricsPlugin<C extends object>(opts: OperationMetricsOptions): ApolloServerPlugin<C> {
  const fixed = opts.labels ?? {};
  const labelNames = [...Object.keys(fixed), 'operation', 'type', 'root_field'];
  const who = opts.server === 'gateway' ? 'the gateway' : 'this subgraph service';
  const operations = counter({
    name: `${opts.server}_operations_total`,
    help: `GraphQL operations answered by ${who}.`,
    labelNames,
  });
  const failed = counter({
    name: `${opts.server}_operation_errors_total`,
    help: `Operations answered with at least one error, by the first error's code.`,
    labelNames: [...labelNames, 'code'],
  });
  const duration = histogram({
    name: `${opts.server}_operation_duration_seconds`,
    help: `Time from request to response of an operation at ${who} (seconds).`,
    labelNames,
  });
  const names = new BoundedLabel(opts.maxOperationNames ?? 100);
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse(rc) {
          const { operation } = rc;
          const labels = {
            ...fixed,
            // No operation: it did not parse or validate, and its name is not to be trusted.
            operation: operation ? (rc.operationName ? names.of(rc.operationName) : 'anonymous') : 'invalid',
            type: operation?.operation ?? 'unknown',
            root_field: rootField(operation),
          };
          operations.inc(labels);
          duration.observe(labels, (performance.now() - started) / 1000);
          const body = rc.response.body;
          const errors = body.kind === 'single' ? body.singleResult.errors : rc.errors;
          if (errors?.length) failed.inc({ ...labels, code: errorCodeLabel(errors[0]!.extensions?.code) });
        },
      };
    },
  };
}
