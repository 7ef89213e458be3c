// Delivery and pickup slots through the gateway, the way clients call: zones, listing rules
// (past slots left out; cut-off, closures and full slots not bookable; local days in
// Asia/Ho_Chi_Minh), holds and their limits, 300 concurrent holds on a slot of 20, staff capacity.
import { startTestPlatform, type CallOptions, type TestPlatform } from '@grocery/gateway/testing';
import { Client } from 'pg';
import { localDay, localMinute } from '../domain/local-time';

const SLOT_FIELDS = `id kind zoneId location { id } startsAt endsAt cutoffAt capacity remaining state bookable service fee { amount currency } closedReason { en vi }`;
const ZONES = `query { deliveryZones { id name names { en vi } province wards { code name } locations { id } } }`;
const SLOTS = `query ($z: ID!, $days: Int, $v: Int) { deliverySlots(zoneId: $z, days: $days, orderValue: $v) { ${SLOT_FIELDS} } }`;
const PICKUP = `query ($l: ID!, $days: Int) { pickupSlots(locationId: $l, days: $days) { ${SLOT_FIELDS} } }`;
const HOLD = `mutation ($s: ID!) { holdSlot(slotId: $s) { __typename
  ... on SlotHold { id expiresAt slot { id remaining } }
  ... on SlotFull { errorCode message slotId nextSlots { id startsAt bookable } }
  ... on SlotUnavailable { errorCode reason nextSlots { id } } } }`;
const RELEASE = `mutation ($h: ID!) { releaseSlotHold(holdId: $h) }`;
const SET_CAPACITY = `mutation ($s: ID!, $c: Int!) { setSlotCapacity(slotId: $s, capacity: $c) { id capacity remaining } }`;
const ADD_CLOSURE = `mutation ($input: ClosureInput!) { addClosure(input: $input) { id zoneId reason { en vi } } }`;
const REMOVE_CLOSURE = `mutation ($id: ID!) { removeClosure(id: $id) { id } }`;
const CREATE_TEMPLATE = `mutation ($input: SlotTemplateInput!) { createSlotTemplate(input: $input) { id weekdays startMinute } }`;

interface SlotView {
  id: string;
  zoneId: string | null;
  startsAt: string;
  endsAt: string;
  cutoffAt: string;
  capacity: number;
  remaining: number;
  state: string;
  bookable: boolean;
  service: string;
  fee: { amount: number; currency: string };
  closedReason: { en: string; vi: string } | null;
}

const fromAddress = (address: string, extra: CallOptions = {}): CallOptions => ({
  ...extra,
  headers: { ...(extra.headers ?? {}), 'x-forwarded-for': address },
});

let p: TestPlatform;
let staff: string;

beforeAll(async () => {
  p = await startTestPlatform({ env: { MAX_SLOT_HOLDS_PER_CLIENT: '2' } });
  staff = (await p.signIn(['staff'])).accessToken;
});
afterAll(async () => {
  await p?.stop();
});

async function slots(zoneId: string, days = 2, orderValue?: number, opts?: CallOptions): Promise<SlotView[]> {
  const r = await p.gql(SLOTS, { z: zoneId, days, v: orderValue }, opts);
  expect(r.errors).toBeUndefined();
  return r.data!.deliverySlots;
}

async function sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  const db = new Client({ connectionString: p.database.url });
  await db.connect();
  try {
    return (await db.query(text, params)).rows as T[];
  } finally {
    await db.end();
  }
}

/** A bookable standard slot of a zone, tomorrow (never near its cut-off whatever the time of day). */
async function tomorrowSlot(zoneId: string, index = 0): Promise<SlotView> {
  const tomorrow = (await slots(zoneId, 2)).filter(
    (s) => localDay(new Date(s.startsAt)) !== localDay(new Date()) && s.service === 'NEXT_DAY',
  );
  return tomorrow[index];
}

describe('zones', () => {
  it('lists the zones of Ho Chi Minh City and Hanoi with their wards, in the request language', async () => {
    const vi = await p.gql(ZONES, {}, { headers: { 'accept-language': 'vi' } });
    expect(vi.errors).toBeUndefined();
    const zones = vi.data!.deliveryZones as {
      id: string;
      name: string;
      province: string;
      wards: { code: string; name: string }[];
    }[];
    expect(zones.map((z) => z.id).sort()).toEqual([
      'hcm-central',
      'hcm-north',
      'hcm-south',
      'hn-central',
      'hn-east',
      'hn-west',
    ]);
    const central = zones.find((z) => z.id === 'hcm-central')!;
    expect(central.name).toBe('TP. Hồ Chí Minh – trung tâm');
    expect(central.wards.map((w) => w.name)).toContain('Phường Bến Thành');
    const en = await p.gql(ZONES, {}, { headers: { 'accept-language': 'en' } });
    expect(en.data!.deliveryZones.find((z: { id: string }) => z.id === 'hn-central').name).toBe('Hanoi – centre');
    const ward = await p.gql(
      `{ deliveryZoneForWard(ward: "hn-cau-giay") { id } none: deliveryZoneForWard(ward: "nowhere") { id } }`,
    );
    expect(ward.data).toEqual({ deliveryZoneForWard: { id: 'hn-west' }, none: null });
  });
});

describe('listing', () => {
  it('lists today’s and tomorrow’s local windows, never a past one, each with its fee', async () => {
    const now = new Date();
    const list = await slots('hcm-central', 2);
    const today = localDay(now);
    expect(list.length).toBeGreaterThan(0);
    for (const s of list) {
      expect(new Date(s.startsAt).getTime()).toBeGreaterThan(now.getTime());
      expect([today, localDay(new Date(now.getTime() + 86_400_000))]).toContain(localDay(new Date(s.startsAt)));
      const expectedFee = s.service === 'EXPRESS' ? 45_000 : s.service === 'SAME_DAY' ? 25_000 : 15_000;
      expect(s.fee).toEqual({ amount: expectedFee, currency: 'VND' });
      expect(s.bookable).toBe(s.state === 'OPEN');
      if (new Date(s.cutoffAt).getTime() <= now.getTime()) expect(s.bookable).toBe(false);
    }
    // Tomorrow has every standard window, 07:00–21:00 local: 7 of them, starting at 07:00 local (00:00 UTC).
    const tomorrow = list.filter((s) => s.service === 'NEXT_DAY');
    expect(tomorrow).toHaveLength(7);
    expect(localMinute(new Date(tomorrow[0].startsAt))).toBe(7 * 60);
    expect(new Date(tomorrow[0].startsAt).getUTCHours()).toBe(0);
    expect(tomorrow.every((s) => s.bookable && s.remaining === 20)).toBe(true);
    // days: 1 is today only (local), so none of tomorrow's windows — even those before 00:00 UTC.
    const todayOnly = await slots('hcm-central', 1);
    expect(todayOnly.every((s) => localDay(new Date(s.startsAt)) === today)).toBe(true);
    // Free delivery above the threshold for standard windows, never for express.
    const rich = await slots('hcm-central', 2, 500_000);
    expect(rich.filter((s) => s.service !== 'EXPRESS').every((s) => s.fee.amount === 0)).toBe(true);
    expect(rich.filter((s) => s.service === 'EXPRESS').every((s) => s.fee.amount === 45_000)).toBe(true);
  });

  it('does not take holds past the cut-off: a window starting in under an hour is listed as CUT_OFF', async () => {
    // A template on hn-east whose first window starts 30–45 minutes from now (cut-off 60 minutes).
    const now = new Date();
    const minute = localMinute(now);
    const start = Math.ceil((minute + 30) / 15) * 15;
    if (start + 30 > 1440) return; // within 75 minutes of local midnight there is no such window today
    const created = await p.gql(
      CREATE_TEMPLATE,
      {
        input: {
          kind: 'DELIVERY',
          zoneId: 'hn-east',
          weekdays: [1, 2, 3, 4, 5, 6, 7],
          startMinute: start,
          endMinute: start + 30,
          windowMinutes: 30,
          capacity: 5,
          cutoffMinutes: 60,
        },
      },
      { token: staff },
    );
    expect(created.errors).toBeUndefined();
    const soon = (await slots('hn-east', 1)).find(
      (s) => localMinute(new Date(s.startsAt)) === start && s.capacity === 5,
    )!;
    expect(soon).toBeDefined();
    expect(soon).toMatchObject({ state: 'CUT_OFF', bookable: false });
    const r = await p.gql(HOLD, { s: soon.id }, fromAddress('203.0.113.40'));
    expect(r.data!.holdSlot).toMatchObject({
      __typename: 'SlotUnavailable',
      errorCode: 'SLOT_UNAVAILABLE',
      reason: 'CUT_OFF',
    });
  });

  it('closes the slots a closure covers (a zone, or everywhere for a holiday), listed with its reason and not holdable', async () => {
    const target = await tomorrowSlot('hn-west', 2);
    const closure = await p.gql(
      ADD_CLOSURE,
      {
        input: {
          zoneId: 'hn-west',
          startsAt: target.startsAt,
          endsAt: target.endsAt,
          reasonEn: 'Road works',
          reasonVi: 'Sửa đường',
        },
      },
      { token: staff },
    );
    expect(closure.errors).toBeUndefined();
    const after = (await slots('hn-west')).find((s) => s.id === target.id)!;
    expect(after).toMatchObject({
      state: 'CLOSED',
      bookable: false,
      closedReason: { en: 'Road works', vi: 'Sửa đường' },
    });
    const held = await p.gql(HOLD, { s: target.id }, fromAddress('203.0.113.41'));
    expect(held.data!.holdSlot).toMatchObject({ __typename: 'SlotUnavailable', reason: 'CLOSED' });
    expect(held.data!.holdSlot.nextSlots.length).toBeGreaterThan(0);
    // Other zones are not closed by it.
    expect((await slots('hn-central')).find((s) => s.startsAt === target.startsAt)?.state).not.toBe('CLOSED');
    // A holiday closes every zone and every pickup location.
    const holiday = await p.gql(
      ADD_CLOSURE,
      { input: { startsAt: target.startsAt, endsAt: target.endsAt, reasonEn: 'Holiday', reasonVi: 'Ngày lễ' } },
      { token: staff },
    );
    expect((await slots('hcm-south')).find((s) => s.startsAt === target.startsAt)?.state).toBe('CLOSED');
    const pickup = await p.gql(PICKUP, { l: 'hcm-store-q1', days: 2 });
    const overlapping = (pickup.data!.pickupSlots as SlotView[]).filter(
      (s) => new Date(s.startsAt) < new Date(target.endsAt) && new Date(s.endsAt) > new Date(target.startsAt),
    );
    expect(overlapping.length).toBeGreaterThan(0);
    expect(overlapping.every((s) => s.state === 'CLOSED')).toBe(true);
    // Removed: open again.
    for (const id of [closure.data!.addClosure.id, holiday.data!.addClosure.id])
      expect((await p.gql(REMOVE_CLOSURE, { id }, { token: staff })).errors).toBeUndefined();
    expect((await slots('hn-west')).find((s) => s.id === target.id)!.state).toBe('OPEN');
  });

  it('refuses bad arguments with coded errors', async () => {
    for (const days of [0, 8, -1]) {
      const r = await p.gql(SLOTS, { z: 'hcm-central', days });
      expect(r.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'days' });
    }
    expect((await p.gql(SLOTS, { z: 'atlantis', days: 1 })).errors![0].extensions!.code).toBe('NOT_FOUND');
    expect((await p.gql(SLOTS, { z: 'hcm-central', days: 1, v: -5 })).errors![0].extensions!.code).toBe(
      'BAD_USER_INPUT',
    );
    expect((await p.gql(HOLD, { s: 'not-a-slot' })).errors![0].extensions!.code).toBe('NOT_FOUND');
    expect((await p.gql(HOLD, { s: '00000000-0000-4000-8000-000000000000' })).errors![0].extensions!.code).toBe(
      'NOT_FOUND',
    );
    const staffOnly = await p.gql(CREATE_TEMPLATE, {
      input: {
        kind: 'DELIVERY',
        zoneId: 'hn-east',
        weekdays: [1],
        startMinute: 0,
        endMinute: 60,
        windowMinutes: 60,
        capacity: 1,
      },
    });
    expect(staffOnly.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
  });
});

describe('holds', () => {
  it('takes one unit, gives it back on release, and limits live holds per client', async () => {
    const a = await tomorrowSlot('hcm-north', 0);
    const b = await tomorrowSlot('hcm-north', 1);
    const c = await tomorrowSlot('hcm-north', 2);
    const me = fromAddress('203.0.113.50');
    const h1 = await p.gql(HOLD, { s: a.id }, me);
    expect(h1.data!.holdSlot).toMatchObject({ __typename: 'SlotHold', slot: { id: a.id, remaining: 19 } });
    expect(new Date(h1.data!.holdSlot.expiresAt).getTime()).toBeGreaterThan(Date.now() + 9 * 60_000);
    expect((await slots('hcm-north')).find((s) => s.id === a.id)!.remaining).toBe(19);
    expect((await p.gql(HOLD, { s: b.id }, me)).data!.holdSlot.__typename).toBe('SlotHold');
    const third = await p.gql(HOLD, { s: c.id }, me);
    expect(third.errors![0].extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'slotHolds', max: 2 });
    expect((await slots('hcm-north')).find((s) => s.id === c.id)!.remaining).toBe(20);
    // Another client cannot release my hold; I can.
    const notMine = await p.gql(RELEASE, { h: h1.data!.holdSlot.id }, fromAddress('203.0.113.51'));
    expect(notMine.errors![0].extensions!.code).toBe('NOT_FOUND');
    expect((await p.gql(RELEASE, { h: h1.data!.holdSlot.id }, me)).data).toEqual({ releaseSlotHold: true });
    expect((await p.gql(RELEASE, { h: h1.data!.holdSlot.id }, me)).data).toEqual({ releaseSlotHold: false });
    expect((await slots('hcm-north')).find((s) => s.id === a.id)!.remaining).toBe(20);
    expect((await p.gql(HOLD, { s: c.id }, me)).data!.holdSlot.__typename).toBe('SlotHold');
  });

  it('300 concurrent holds on a slot of capacity 20: exactly 20 held, 280 SlotFull, never more taken', async () => {
    const target = await tomorrowSlot('hcm-south', 3);
    expect(target.capacity).toBe(20);
    const answers = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        p.gql(HOLD, { s: target.id }, fromAddress(`10.1.${Math.floor(i / 250)}.${(i % 250) + 1}`)),
      ),
    );
    const kinds = answers.map((r) => r.data?.holdSlot?.__typename ?? r.errors?.[0]?.extensions?.code);
    expect(kinds.filter((k) => k === 'SlotHold')).toHaveLength(20);
    expect(kinds.filter((k) => k === 'SlotFull')).toHaveLength(280);
    const [row] = await sql<{ taken: number; holds: number }>(
      `SELECT s.taken, (SELECT count(*)::int FROM delivery.slot_hold h WHERE h.slot_id = s.id AND h.status = 'HELD') AS holds
       FROM delivery.slot s WHERE s.id = $1`,
      [target.id],
    );
    expect(row).toEqual({ taken: 20, holds: 20 });
    const listed = (await slots('hcm-south')).find((s) => s.id === target.id)!;
    expect(listed).toMatchObject({ remaining: 0, state: 'FULL', bookable: false });
    // SlotFull offers the next free slots, after the full one.
    const full = answers.find((r) => r.data?.holdSlot?.__typename === 'SlotFull')!.data!.holdSlot;
    expect(full.nextSlots.length).toBeGreaterThan(0);
    for (const s of full.nextSlots) {
      expect(s.bookable).toBe(true);
      expect(new Date(s.startsAt).getTime()).toBeGreaterThan(new Date(target.startsAt).getTime());
    }
  });

  it('staff set a capacity, never below what is taken; customers may not', async () => {
    const target = await tomorrowSlot('hcm-south', 5);
    for (let i = 0; i < 3; i++)
      expect((await p.gql(HOLD, { s: target.id }, fromAddress(`10.2.0.${i + 1}`))).data!.holdSlot.__typename).toBe(
        'SlotHold',
      );
    const below = await p.gql(SET_CAPACITY, { s: target.id, c: 2 }, { token: staff });
    expect(below.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'CAPACITY_BELOW_TAKEN', taken: 3 });
    const ok = await p.gql(SET_CAPACITY, { s: target.id, c: 3 }, { token: staff });
    expect(ok.data).toEqual({ setSlotCapacity: { id: target.id, capacity: 3, remaining: 0 } });
    expect((await p.gql(HOLD, { s: target.id }, fromAddress('10.2.0.9'))).data!.holdSlot.__typename).toBe('SlotFull');
    const customer = (await p.signIn(['customer'])).accessToken;
    expect((await p.gql(SET_CAPACITY, { s: target.id, c: 50 }, { token: customer })).errors![0].extensions!.code).toBe(
      'FORBIDDEN',
    );
    expect((await p.gql(SET_CAPACITY, { s: target.id, c: -1 }, { token: staff })).errors![0].extensions!.code).toBe(
      'BAD_USER_INPUT',
    );
  });
});

describe('pickup', () => {
  it('lists a store’s pickup windows, free, and holds them the same way', async () => {
    const r = await p.gql(PICKUP, { l: 'hn-store-hoan-kiem', days: 2 });
    expect(r.errors).toBeUndefined();
    const list = r.data!.pickupSlots as (SlotView & { kind: string; location: { id: string } })[];
    const tomorrow = list.filter((s) => localDay(new Date(s.startsAt)) !== localDay(new Date()));
    expect(tomorrow).toHaveLength(6); // 08:00–20:00 local in 2-hour windows
    expect(
      tomorrow.every((s) => s.kind === 'PICKUP' && s.location.id === 'hn-store-hoan-kiem' && s.fee.amount === 0),
    ).toBe(true);
    const held = await p.gql(HOLD, { s: tomorrow[0].id }, fromAddress('203.0.113.60'));
    expect(held.data!.holdSlot).toMatchObject({ __typename: 'SlotHold', slot: { remaining: 29 } });
  });
});

describe('expiry', () => {
  let q: TestPlatform;
  beforeAll(async () => {
    q = await startTestPlatform({
      subgraphs: ['users', 'delivery'],
      env: { SLOT_HOLD_SECONDS: '1', SLOT_SWEEP_MS: '200' },
    });
  });
  afterAll(async () => {
    await q?.stop();
  });

  it('gives a hold’s unit back by itself once it expires', async () => {
    const list = (await q.gql(SLOTS, { z: 'hn-central', days: 2 })).data!.deliverySlots as SlotView[];
    const target = list.find((s) => s.service === 'NEXT_DAY')!;
    const held = await q.gql(HOLD, { s: target.id });
    expect(held.data!.holdSlot).toMatchObject({ __typename: 'SlotHold', slot: { remaining: 19 } });
    const deadline = Date.now() + 10_000;
    let remaining = 19;
    while (remaining !== 20 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      remaining = ((await q.gql(SLOTS, { z: 'hn-central', days: 2 })).data!.deliverySlots as SlotView[]).find(
        (s) => s.id === target.id,
      )!.remaining;
    }
    expect(remaining).toBe(20);
    const db = new Client({ connectionString: q.database.url });
    await db.connect();
    const { rows } = await db.query(`SELECT status FROM delivery.slot_hold WHERE id = $1`, [held.data!.holdSlot.id]);
    await db.end();
    expect(rows[0].status).toBe('EXPIRED');
  });
});
