// The operations in flight that a slow statement's line names when tracing is off: those that
// started before the statement and had not answered yet, one by name, several by count.
import type { ApolloServerPlugin } from '@apollo/server';
import { operationScopePlugin, operationsRunningSince } from './request-scope';

type Hooks = {
  didResolveOperation(rc: unknown): Promise<void>;
  willSendResponse(rc: unknown): Promise<void>;
};

async function start(type: string, name: string | null): Promise<Hooks> {
  const plugin = operationScopePlugin() as ApolloServerPlugin<object>;
  const hooks = (await plugin.requestDidStart!({} as never)) as unknown as Hooks;
  await hooks.didResolveOperation({ operation: { operation: type }, operationName: name });
  return hooks;
}

describe('operations in flight', () => {
  it('names the one operation running since before a moment, and lists several by count', async () => {
    expect(operationsRunningSince(performance.now())).toEqual({});
    const page = await start('query', 'ProductPage');
    const since = performance.now();
    expect(operationsRunningSince(since)).toEqual({ operation: 'query ProductPage' });

    const later = await start('mutation', 'PlaceOrder'); // started after `since`: not a candidate
    expect(operationsRunningSince(since)).toEqual({ operation: 'query ProductPage' });

    const now = performance.now();
    const again = await start('query', 'ProductPage');
    const anonymous = await start('query', null);
    expect(operationsRunningSince(performance.now())).toEqual({
      operations_in_flight: ['query ProductPage ×2', 'mutation PlaceOrder ×1', 'query anonymous ×1'],
      in_flight: 4,
    });
    for (const h of [page, later, again, anonymous]) await h.willSendResponse({});
    expect(operationsRunningSince(now)).toEqual({});
  });

  it('keeps nothing for a request that never resolved an operation (it did not parse)', async () => {
    const plugin = operationScopePlugin() as ApolloServerPlugin<object>;
    const hooks = (await plugin.requestDidStart!({} as never)) as unknown as Hooks;
    await hooks.willSendResponse({});
    expect(operationsRunningSince(performance.now())).toEqual({});
  });
});
