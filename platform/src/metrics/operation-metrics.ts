// Request count, errors and latency per GraphQL operation, as an Apollo plugin: the gateway's
// (gateway_operation_*) and each subgraph service's (subgraph_operation_*{subgraph}). Labels are
// bounded: the operation name (BoundedLabel), its type and first root field (only once the
// operation validated, so the schema bounds them), and for errors the first error's code as the
// client sees it (anything unlisted is INTERNAL_SERVER_ERROR, as formatError makes it).
// Answers given before Apollo runs (the gateway's response-cache fast path) are counted into the
// same series with countAnsweredOperation.
import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type OperationDefinitionNode } from 'graphql';
import type { Counter, Histogram } from 'prom-client';
import { ErrorCode, isClientError } from '../errors';
import { BoundedLabel } from './bounded-label';
import { counter, histogram } from './registry';

export interface OperationMetricsOptions {
  /** "gateway" or "subgraph": the series' prefix. */
  server: 'gateway' | 'subgraph';
  /** Set on every series of this server, e.g. { subgraph: 'products' }. */
  labels?: Record<string, string>;
  /** Distinct operation names with a series of their own (default 100; per server and labels in a process). */
  maxOperationNames?: number;
}

/** The first root field of a validated operation ("_entities" for the gateway's entity fetches). */
export function rootFieldOf(operation: OperationDefinitionNode | undefined): string {
  const first = operation?.selectionSet.selections.find((s) => s.kind === Kind.FIELD);
  return first?.kind === Kind.FIELD ? first.name.value : 'none';
}

export function errorCodeLabel(code: unknown): string {
  return isClientError(code) ? (code as string) : ErrorCode.INTERNAL_SERVER_ERROR;
}

interface OperationSeries {
  fixed: Record<string, string>;
  operations: Counter<string>;
  failed: Counter<string>;
  duration: Histogram<string>;
  names: BoundedLabel;
}

/** One set of series (and one operation-name bound) per server and fixed labels in a process. */
const seriesOf = new Map<string, OperationSeries>();

function operationSeries(opts: OperationMetricsOptions): OperationSeries {
  const fixed = opts.labels ?? {};
  const key = `${opts.server}\0${JSON.stringify(Object.entries(fixed).sort())}`;
  let series = seriesOf.get(key);
  if (series) return series;
  const labelNames = [...Object.keys(fixed), 'operation', 'type', 'root_field'];
  const who = opts.server === 'gateway' ? 'the gateway' : 'this subgraph service';
  series = {
    fixed,
    operations: counter({
      name: `${opts.server}_operations_total`,
      help: `GraphQL operations answered by ${who}.`,
      labelNames,
    }),
    failed: counter({
      name: `${opts.server}_operation_errors_total`,
      help: `Operations answered with at least one error, by the first error's code.`,
      labelNames: [...labelNames, 'code'],
    }),
    duration: histogram({
      name: `${opts.server}_operation_duration_seconds`,
      help: `Time from request to response of an operation at ${who} (seconds).`,
      labelNames,
    }),
    names: new BoundedLabel(opts.maxOperationNames ?? 100),
  };
  seriesOf.set(key, series);
  return series;
}

export interface AnsweredOperation {
  /** As the client named it (bounded here); null or undefined: anonymous. */
  operationName?: string | null;
  type: 'query' | 'mutation' | 'subscription';
  /** The operation's first root field (`rootFieldOf`). */
  rootField: string;
  seconds: number;
}

/**
 * Counts an operation answered without Apollo's request pipeline, from what is known to have
 * validated before (the gateway's response-cache fast path replays such an answer), in the same
 * series and under the same name bound as the plugin. Returns the labels it used.
 */
export function countAnsweredOperation(opts: OperationMetricsOptions, op: AnsweredOperation): Record<string, string> {
  const { fixed, operations, duration, names } = operationSeries(opts);
  const labels = {
    ...fixed,
    operation: op.operationName ? names.of(op.operationName) : 'anonymous',
    type: op.type,
    root_field: op.rootField,
  };
  operations.inc(labels);
  duration.observe(labels, op.seconds);
  return labels;
}

export function operationMetricsPlugin<C extends object>(opts: OperationMetricsOptions): ApolloServerPlugin<C> {
  const { fixed, operations, failed, duration, names } = operationSeries(opts);
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
            root_field: rootFieldOf(operation),
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
