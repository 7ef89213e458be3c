// After checkout, through the gateway: live status to the owner only, cancelling, expiry,
// picking with substitutions and the final capture, hand-over, returns with a partial refund and
// restock, history and reorder.
import { startTestPlatform, type TestPlatform } from '@grocery/gateway/testing';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { ADD, count, insertItems, level, ORDER, PLACE, placeInput, until, withDb } from './fixture';

const START_TIMEOUT_MS = 180_000;
let p: TestPlatform;
let staff: string;
let alice: string;
let bob: string;

beforeAll(async () => {
  p = await startTestPlatform({
    env: { PAYMENT_SIMULATOR_DELAY_MS: '20', ORDER_SWEEP_MS: '200', ORDER_PAYMENT_HOLD_SECONDS: '60' },
  });
  staff = (await p.signIn(['staff'])).accessToken;
  alice = (await p.signIn(['customer'])).accessToken;
  bob = (await p.signIn(['customer'])).accessToken;
  await insertItems(p.database.url, [
    { sku: 'L-BREAD', price: 25_000, onHand: 50 },
    { sku: 'L-JAM', price: 40_000, onHand: 50 },
    { sku: 'L-BEEF', price: 300_000, onHand: 50, unit: 'kg' },
    { sku: 'L-MANGO', price: 60_000, onHand: 50 },
    { sku: 'L-SUB-A', price: 28_000, onHand: 50 },
    { sku: 'L-SUB-B', price: 65_000, onHand: 50 },
  ]);
}, START_TIMEOUT_MS);
afterAll(async () => p?.stop());

async function confirmedOrder(
  token: string,
  lines: { sku: string; quantity: number; substitution?: string }[],
  paymentToken = 'sim_approve',
) {
  const cart = (await p.gql(ADD, { cartId: null, lines }, { token })).data!.addToCart.id;
  const placed = await p.gql(PLACE, { input: { ...placeInput(cart, {}, paymentToken), email: null } }, { token });
  expect(placed.errors).toBeUndefined();
  const id = placed.data!.placeOrder.id;
  await until(async () => expect((await p.gql(ORDER, { id }, { token })).data!.order.status).toBe('CONFIRMED'));
  return id as string;
}

function subscribe(token: string | undefined, orderId: string) {
  const client: Client = createClient({
    url: p.wsUrl,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
  });
  const events = client.iterate<{
    orderStatusChanged: { id: string; status: string; reason: string; substitution: { id: string } | null };
  }>({
    query: `subscription ($id: ID!) { orderStatusChanged(orderId: $id) { id status paymentStatus reason substitution { id sku status } order { total { amount } } } }`,
    variables: { id: orderId },
  });
  return { events, client };
}

describe('orders after checkout', () => {
  it('streams an order’s changes to its customer, and refuses the subscription to anyone else', async () => {
    const id = await confirmedOrder(alice, [{ sku: 'L-JAM', quantity: 1 }]);
    for (const token of [bob, undefined]) {
      const other = subscribe(token, id);
      const refused = await other.events.next();
      expect((refused.value as { errors?: { extensions?: { code?: string } }[] })?.errors?.[0]?.extensions?.code).toBe(
        'NOT_FOUND',
      );
      await other.client.dispose();
    }
    // The owner: the subscription is open once an event arrives; cancel until one does.
    const mine = subscribe(alice, id);
    const next = mine.events.next();
    await new Promise((r) => setTimeout(r, 300));
    const cancelled = await p.gql(
      `mutation ($id: ID!) { cancelOrder(id: $id) { __typename ... on Order { status } } }`,
      { id },
      { token: alice },
    );
    expect(cancelled.data!.cancelOrder).toEqual({ __typename: 'Order', status: 'CANCELLED' });
    const event = await next;
    expect(event.value?.data?.orderStatusChanged).toMatchObject({ id, status: 'CANCELLED', reason: 'order.cancelled' });
    await mine.client.dispose();
    // Cancelling gave back the stock and voided the authorization.
    await until(async () => expect(await level(p.database.url, 'L-JAM')).toEqual({ onHand: 50, reserved: 0 }));
    expect((await p.gql(ORDER, { id }, { token: alice })).data!.order.paymentStatus).toBe('CANCELLED');
    // Once picking has begun a customer can no longer cancel: a typed refusal.
    const second = await confirmedOrder(alice, [{ sku: 'L-JAM', quantity: 1 }]);
    await p.gql(`mutation ($id: ID!) { startPicking(orderId: $id) { status } }`, { id: second }, { token: staff });
    const late = await p.gql(
      `mutation ($id: ID!) { cancelOrder(id: $id) { __typename ... on OrderNotCancellable { errorCode status } } }`,
      { id: second },
      { token: alice },
    );
    expect(late.data!.cancelOrder).toEqual({
      __typename: 'OrderNotCancellable',
      errorCode: 'ORDER_NOT_CANCELLABLE',
      status: 'PICKING',
    });
  });

  it('picks with one substitute approved and one rejected, and captures exactly the final amount', async () => {
    const id = await confirmedOrder(alice, [
      { sku: 'L-BREAD', quantity: 2 },
      { sku: 'L-BEEF', quantity: 2 },
      { sku: 'L-MANGO', quantity: 1 },
    ]);
    const order = (await p.gql(ORDER, { id }, { token: alice })).data!.order;
    // Weighed goods are authorized with a margin: 10 % of the beef line.
    expect(order.payment.amount.amount).toBe(2 * 25_000 + 2 * 300_000 + 60_000 + 60_000);
    const staffCall = (q: string, v: Record<string, unknown>) => p.gql(q, v, { token: staff });
    expect(
      (await staffCall(`mutation ($id: ID!) { startPicking(orderId: $id) { status } }`, { id })).data!.startPicking
        .status,
    ).toBe('PICKING');
    // Bread: both; beef: as weighed (2); mango: none on the shelf.
    const picked = await staffCall(
      `mutation ($id: ID!, $l: [PickedLineInput!]!) { recordPicked(orderId: $id, lines: $l) { lines { position pickedQuantity } } }`,
      {
        id,
        l: [
          { position: 0, quantity: 2 },
          { position: 1, quantity: 2 },
          { position: 2, quantity: 0 },
        ],
      },
    );
    expect(picked.errors).toBeUndefined();
    const propose = (position: number, sku: string) =>
      staffCall(
        `mutation ($id: ID!, $p: Int!, $s: ID!) { proposeSubstitute(orderId: $id, position: $p, sku: $s, quantity: 1) { substitutions { id sku status } } }`,
        { id, p: position, s: sku },
      );
    const first = await propose(2, 'L-SUB-B');
    expect(first.errors).toBeUndefined();
    const subId = first.data!.proposeSubstitute.substitutions[0].id;
    // A customer decides; another customer cannot.
    const decide = (token: string, s: string, approve: boolean) =>
      p.gql(
        `mutation ($id: ID!, $s: ID!, $a: Boolean!) { decideSubstitution(orderId: $id, substitutionId: $s, approve: $a) { substitutions { id status } } }`,
        { id, s, a: approve },
        { token },
      );
    expect((await decide(bob, subId, true)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await decide(alice, subId, false)).data!.decideSubstitution.substitutions[0].status).toBe('REJECTED');
    const second = await propose(2, 'L-SUB-A');
    const subA = second.data!.proposeSubstitute.substitutions.find((s: { sku: string }) => s.sku === 'L-SUB-A').id;
    expect((await decide(alice, subA, true)).errors).toBeUndefined();
    const finished = await staffCall(
      `mutation ($id: ID!) { finishPicking(orderId: $id) { status finalTotal { amount } payment { status captured { amount } } } }`,
      { id },
    );
    expect(finished.errors).toBeUndefined();
    const final = 2 * 25_000 + 2 * 300_000 + 28_000;
    expect(finished.data!.finishPicking).toEqual({
      status: 'READY_FOR_PICKUP',
      finalTotal: { amount: final },
      payment: { status: 'CAPTURED', captured: { amount: final } },
    });
    // The shelf follows: picked units left, the rejected substitute and the missing mango did not.
    expect(await level(p.database.url, 'L-SUB-A')).toEqual({ onHand: 49, reserved: 0 });
    expect(await level(p.database.url, 'L-SUB-B')).toEqual({ onHand: 50, reserved: 0 });
    expect(await level(p.database.url, 'L-MANGO')).toEqual({ onHand: 50, reserved: 0 });
    expect(await level(p.database.url, 'L-BREAD')).toMatchObject({ reserved: 0 });

    // Handed over, then a return of one loaf within the window: a partial refund, the loaf restocked.
    await staffCall(`mutation ($id: ID!) { completeOrder(orderId: $id) { status } }`, { id });
    const breadBefore = await level(p.database.url, 'L-BREAD');
    const requested = await p.gql(
      `mutation ($id: ID!) { requestReturn(orderId: $id, lines: [{ position: 0, quantity: 1, reason: "stale" }]) { id status } }`,
      { id },
      { token: alice },
    );
    expect(requested.errors).toBeUndefined();
    // More than was bought is refused.
    const tooMany = await p.gql(
      `mutation ($id: ID!) { requestReturn(orderId: $id, lines: [{ position: 0, quantity: 2, reason: "x" }]) { id } }`,
      { id },
      { token: alice },
    );
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const received = await staffCall(
      `mutation ($r: ID!) { receiveReturn(returnId: $r, approve: true, lines: [{ position: 0, received: 1, damaged: 0, restock: true }]) { status refundTotal { amount } } }`,
      { r: requested.data!.requestReturn.id },
    );
    expect(received.data!.receiveReturn).toEqual({ status: 'REFUNDED', refundTotal: { amount: 25_000 } });
    expect(await level(p.database.url, 'L-BREAD')).toEqual({ ...breadBefore, onHand: breadBefore.onHand + 1 });
    const after = (await p.gql(ORDER, { id }, { token: alice })).data!.order;
    expect(after.payment).toMatchObject({ status: 'PARTIALLY_REFUNDED', refunded: { amount: 25_000 } });
    // Settling twice changes nothing.
    await staffCall(
      `mutation ($r: ID!) { receiveReturn(returnId: $r, approve: true, lines: [{ position: 0, received: 1, damaged: 0, restock: true }]) { status } }`,
      { r: requested.data!.requestReturn.id },
    );
    expect((await p.gql(ORDER, { id }, { token: alice })).data!.order.payment.refunded.amount).toBe(25_000);
  });

  it('staff-only steps refuse customers, and every list a step takes is bounded', async () => {
    const id = await confirmedOrder(alice, [{ sku: 'L-BREAD', quantity: 1 }]);
    const r = await p.gql(`mutation ($id: ID!) { startPicking(orderId: $id) { status } }`, { id }, { token: alice });
    expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    await p.gql(`mutation ($id: ID!) { startPicking(orderId: $id) { status } }`, { id }, { token: staff });
    const picked = await p.gql(
      `mutation ($id: ID!, $l: [PickedLineInput!]!) { recordPicked(orderId: $id, lines: $l) { id } }`,
      { id, l: Array.from({ length: 501 }, () => ({ position: 0, quantity: 1 })) },
      { token: staff },
    );
    expect(picked.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const returned = await p.gql(
      `mutation ($id: ID!, $l: [ReturnLineInput!]!) { requestReturn(orderId: $id, lines: $l) { id } }`,
      { id, l: Array.from({ length: 101 }, (_, i) => ({ position: i, quantity: 1, reason: 'x' })) },
      { token: alice },
    );
    expect(returned.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('expires an order whose payment never comes, giving its stock back', async () => {
    const cart = (await p.gql(ADD, { cartId: null, lines: [{ sku: 'L-MANGO', quantity: 2 }] }, { token: bob })).data!
      .addToCart.id;
    const placed = (
      await p.gql(PLACE, { input: { ...placeInput(cart, {}, 'sim_requires_action'), email: null } }, { token: bob })
    ).data!.placeOrder;
    expect(placed.status).toBe('PENDING_PAYMENT');
    expect(await level(p.database.url, 'L-MANGO')).toMatchObject({ reserved: 2 });
    await withDb(p.database.url, (db) =>
      db.query(`UPDATE orders.customer_order SET payment_due_at = now() - interval '1 second' WHERE id = $1`, [
        placed.id,
      ]),
    );
    await until(async () =>
      expect((await p.gql(ORDER, { id: placed.id }, { token: bob })).data!.order.status).toBe('EXPIRED'),
    );
    await until(async () => expect(await level(p.database.url, 'L-MANGO')).toMatchObject({ reserved: 0 }));
    expect(
      await count(
        p.database.url,
        `SELECT count(*) AS n FROM orders.outbox_event WHERE subject = $1 AND type = 'order.expired'`,
        [placed.id],
      ),
    ).toBe(1);
  });

  it('lists a customer’s orders newest first with filters and pages, and reorders what is still sold', async () => {
    const dave = (await p.signIn(['customer'])).accessToken;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(await confirmedOrder(dave, [{ sku: 'L-BREAD', quantity: i + 1 }]));
    const page1 = await p.gql(
      `{ me { orders(first: 2) { totalCount edges { node { id status } } pageInfo { hasNextPage endCursor } } } }`,
      {},
      { token: dave },
    );
    expect(page1.data!.me.orders.totalCount).toBe(3);
    expect(page1.data!.me.orders.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([ids[2], ids[1]]);
    const page2 = await p.gql(
      `query ($a: String) { me { orders(first: 2, after: $a) { edges { node { id } } pageInfo { hasNextPage } } } }`,
      { a: page1.data!.me.orders.pageInfo.endCursor },
      { token: dave },
    );
    expect(page2.data!.me.orders.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([ids[0]]);
    const filtered = await p.gql(
      `{ me { orders(first: 10, filter: { statuses: [CANCELLED] }) { totalCount } } }`,
      {},
      { token: dave },
    );
    expect(filtered.data!.me.orders.totalCount).toBe(0);
    expect(
      (await p.gql(`{ me { orders(first: 51) { totalCount } } }`, {}, { token: dave })).errors?.[0]?.extensions?.code,
    ).toBe('BAD_USER_INPUT');
    const reordered = await p.gql(
      `mutation ($id: ID!) { reorder(orderId: $id) { lines { sku quantity } } }`,
      { id: ids[1] },
      { token: dave },
    );
    expect(reordered.data!.reorder.lines).toEqual([{ sku: 'L-BREAD', quantity: 2 }]);
  });
});
