// Log-in and sign-up throttles through the gateway: failed log-ins per email (the same answer
// whether or not the email has an account), log-in attempts and sign-ups per client, and (with
// REDIS_URL) one count for every replica of the users service.
import { randomBytes } from 'node:crypto';
import { execute, parse } from 'graphql';
import { startTestPlatform, type GraphQLResult, type TestPlatform } from '@grocery/gateway/testing';

const FAILURES_PER_EMAIL = 3;
const ATTEMPTS_PER_CLIENT = 12;
const SIGN_UPS_PER_CLIENT = 3;

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform({
    env: {
      LOGIN_MAX_FAILURES_PER_EMAIL: String(FAILURES_PER_EMAIL),
      LOGIN_MAX_ATTEMPTS_PER_CLIENT: String(ATTEMPTS_PER_CLIENT),
      SIGN_UP_MAX_PER_CLIENT: String(SIGN_UPS_PER_CLIENT),
    },
  });
});
afterAll(() => p?.stop());

const LOG_IN = `mutation ($e: String!, $p: String!) { logIn(input: { email: $e, password: $p }) { accessToken user { id } } }`;
const SIGN_UP = `mutation ($e: String!) { signUp(input: { email: $e, password: "rau muong xao toi", name: "An" }) { accessToken } }`;
const PASSWORD = 'canh chua ca loc';
const newEmail = () => `throttle-${randomBytes(4).toString('hex')}@test.grocery.vn`;
const codeOf = (r: GraphQLResult) => r.errors?.[0]?.extensions?.code;

/** An account that exists, made the way the admin CLI makes one (not throttled). */
async function account(): Promise<string> {
  const email = newEmail();
  await p.modules.users!.ensureAccount!({ email, password: PASSWORD, name: 'Chị Lan', roles: ['customer'] });
  return email;
}

/** A client of its own: calls carrying a user's token are throttled as that user, not by address. */
async function client(): Promise<string> {
  return (await p.signIn()).accessToken;
}

const logIn = (email: string, password: string, token: string) => p.gql(LOG_IN, { e: email, p: password }, { token });

describe('failed log-ins per email', () => {
  it('refuses log-ins to an email after too many failures, the same way whether or not it has an account', async () => {
    const me = await client();
    const known = await account();
    const unknown = newEmail();
    const refusals: GraphQLResult[] = [];
    for (const email of [known, unknown]) {
      for (let i = 0; i < FAILURES_PER_EMAIL; i++)
        expect(codeOf(await logIn(email, 'not the password', me))).toBe('UNAUTHENTICATED');
      // Refused before the password is looked at: the right one is refused too.
      const refused = await logIn(email, PASSWORD, me);
      expect(refused.data).toBeNull();
      expect(refused.errors![0]!.extensions).toMatchObject({
        code: 'RATE_LIMITED',
        limit: 'failedLogInsPerEmail',
        max: FAILURES_PER_EMAIL,
      });
      expect(refused.errors![0]!.extensions!.retryAfterSeconds as number).toBeGreaterThanOrEqual(1);
      refusals.push(refused);
    }
    // Nothing tells the two apart but the seconds to wait.
    const shape = (r: GraphQLResult) => ({
      message: r.errors![0]!.message.replace(/\d+/g, 'N'),
      extensions: Object.keys(r.errors![0]!.extensions!).sort(),
      code: codeOf(r),
    });
    expect(shape(refusals[0]!)).toEqual(shape(refusals[1]!));

    // Another email from the same client is not held back.
    const other = await account();
    expect((await logIn(other, PASSWORD, me)).errors).toBeUndefined();
  });

  it('forgets an email’s failures once its owner logs in', async () => {
    const me = await client();
    const email = await account();
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < FAILURES_PER_EMAIL - 1; i++)
        expect(codeOf(await logIn(email, 'a typo or two', me))).toBe('UNAUTHENTICATED');
      expect((await logIn(email, PASSWORD, me)).errors).toBeUndefined();
    }
  });

  it('lets concurrent guesses for one email through no more often than the limit', async () => {
    const me = await client();
    const email = await account();
    const guesses = await Promise.all(Array.from({ length: 3 * FAILURES_PER_EMAIL }, () => logIn(email, 'guess', me)));
    expect(guesses.filter((r) => codeOf(r) === 'UNAUTHENTICATED')).toHaveLength(FAILURES_PER_EMAIL);
    expect(guesses.filter((r) => codeOf(r) === 'RATE_LIMITED')).toHaveLength(2 * FAILURES_PER_EMAIL);
  });
});

describe('per client', () => {
  it('refuses a client’s log-in attempts past LOGIN_MAX_ATTEMPTS_PER_CLIENT, whatever the emails; others go on', async () => {
    const me = await client();
    for (let i = 0; i < ATTEMPTS_PER_CLIENT; i++)
      expect(codeOf(await logIn(newEmail(), 'whatever it is', me))).toBe('UNAUTHENTICATED');
    const refused = await logIn(newEmail(), 'whatever it is', me);
    expect(refused.errors![0]!.extensions).toMatchObject({
      code: 'RATE_LIMITED',
      limit: 'logInsPerClient',
      max: ATTEMPTS_PER_CLIENT,
    });
    expect(refused.errors![0]!.message).toMatch(/Try again in \d+ s/);

    const someoneElse = await client();
    expect(codeOf(await logIn(newEmail(), 'whatever it is', someoneElse))).toBe('UNAUTHENTICATED');
  });

  it('refuses a client’s sign-ups past SIGN_UP_MAX_PER_CLIENT, taken emails included; others go on', async () => {
    const me = await client();
    const taken = await account();
    expect(codeOf(await p.gql(SIGN_UP, { e: taken }, { token: me }))).toBe('CONFLICT');
    for (let i = 1; i < SIGN_UPS_PER_CLIENT; i++)
      expect((await p.gql(SIGN_UP, { e: newEmail() }, { token: me })).errors).toBeUndefined();
    const refused = await p.gql(SIGN_UP, { e: newEmail() }, { token: me });
    expect(refused.errors![0]!.extensions).toMatchObject({
      code: 'RATE_LIMITED',
      limit: 'signUpsPerClient',
      max: SIGN_UPS_PER_CLIENT,
    });

    const someoneElse = await client();
    expect((await p.gql(SIGN_UP, { e: newEmail() }, { token: someoneElse })).errors).toBeUndefined();
  });
});

(process.env.REDIS_URL ? describe : describe.skip)('across replicas (REDIS_URL)', () => {
  it('counts an email’s failures once for every replica of the users service', async () => {
    const me = await client();
    const email = await account();
    for (let i = 0; i < FAILURES_PER_EMAIL; i++)
      expect(codeOf(await logIn(email, 'not the password', me))).toBe('UNAUTHENTICATED');
    const replica = await p.createReplica('users');
    const onReplica = await execute({
      schema: replica.schema,
      document: parse(LOG_IN),
      variableValues: { e: email, p: PASSWORD },
      contextValue: replica.createContext({ locale: 'en', clientKey: 'ip:192.0.2.7' }),
    });
    expect(onReplica.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'failedLogInsPerEmail' });
  });
});
