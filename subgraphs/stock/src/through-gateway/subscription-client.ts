// Opens stockChanged with graphql's own subscribe() on the stock subgraph's schema, the way
// the gateway does in embedded mode, and reads events with a deadline.
import { parse, subscribe, type ExecutionResult } from 'graphql';
import type { SubgraphModule } from '@grocery/platform';

export interface OpenSubscription {
  /** The next event's result; rejects after `ms` without one. */
  next(ms?: number): Promise<ExecutionResult>;
  close(): Promise<void>;
}

export async function openSubscription(
  module: SubgraphModule,
  query: string,
  variables: Record<string, unknown>,
): Promise<OpenSubscription | ExecutionResult> {
  const result = await subscribe({
    schema: module.schema,
    document: parse(query),
    variableValues: variables,
    contextValue: module.createContext({ locale: 'en' }),
  });
  if (!(Symbol.asyncIterator in result)) return result;
  const iterator = result as AsyncGenerator<ExecutionResult>;
  // The event stream starts listening on the first next(), as a WebSocket server would call
  // it at once: ask now, so nothing published from here on is missed.
  let pending = iterator.next();
  return {
    async next(ms = 10_000) {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no stockChanged event within ${ms} ms`)), ms);
      });
      try {
        const r = await Promise.race([pending, deadline]);
        if (r.done) throw new Error('the subscription ended');
        pending = iterator.next();
        return r.value;
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      await iterator.return?.(undefined);
    },
  };
}
