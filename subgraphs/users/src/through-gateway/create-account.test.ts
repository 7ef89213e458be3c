// The create-account CLI against the test database, and the accounts it makes used through
// the gateway.
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { decodeJwt } from 'jose';
import { startTestPlatform, type GraphQLResult, type TestPlatform } from '@grocery/gateway/testing';
import { createAccount, parseCliArgs, UsageError } from '../cli/create-account';
import { readPassword } from '../cli/read-password';

let p: TestPlatform;

beforeAll(async () => {
  p = await startTestPlatform();
});
afterAll(() => p?.stop());

const LOG_IN = `mutation ($e: String!, $p: String!) { logIn(input: { email: $e, password: $p }) { accessToken refreshToken } }`;
const REFRESH = `mutation ($t: String!) { refreshSession(refreshToken: $t) { accessToken refreshToken } }`;
const codeOf = (r: GraphQLResult) => r.errors?.[0]?.extensions?.code;
const newEmail = () => `Staff-${randomBytes(4).toString('hex')}@Grocery.vn`;

describe('create-account', () => {
  it('creates an admin who logs in through the gateway with the admin role in the token', async () => {
    const email = newEmail();
    const r = await createAccount({
      databaseUrl: p.database.url,
      email,
      password: 'quản trị viên 2026',
      roles: ['admin'],
    });
    expect(r).toMatchObject({
      created: true,
      updated: false,
      user: { email: email.toLowerCase(), roles: ['admin'], name: email.split('@')[0] },
    });
    const s = await p.gql(LOG_IN, { e: email, p: 'quản trị viên 2026' });
    expect(s.errors).toBeUndefined();
    expect(decodeJwt(s.data!.logIn.accessToken).roles).toEqual(['admin']);
    const me = await p.gql(`{ me { roles } }`, {}, { token: s.data!.logIn.accessToken });
    expect(me.data!.me.roles).toEqual(['admin']);
  });

  it('resets a password (ending that account’s sessions) and changes nothing when run again', async () => {
    const email = newEmail();
    const base = { databaseUrl: p.database.url, email, roles: ['staff'], migrate: false };
    await createAccount({ ...base, password: 'first password here' });
    const before = (await p.gql(LOG_IN, { e: email, p: 'first password here' })).data!.logIn;

    const reset = await createAccount({ ...base, password: 'second password here', roles: ['staff', 'admin'] });
    expect(reset).toMatchObject({ created: false, updated: true, user: { roles: ['staff', 'admin'] } });
    expect(codeOf(await p.gql(REFRESH, { t: before.refreshToken }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await p.gql(LOG_IN, { e: email, p: 'first password here' }))).toBe('UNAUTHENTICATED');
    const after = (await p.gql(LOG_IN, { e: email, p: 'second password here' })).data!.logIn;
    expect(decodeJwt(after.accessToken).roles).toEqual(['staff', 'admin']);

    const again = await createAccount({ ...base, password: 'second password here', roles: ['admin', 'staff'] });
    expect(again).toMatchObject({ created: false, updated: false });
    expect((await p.gql(REFRESH, { t: after.refreshToken })).errors).toBeUndefined();
  });

  it('refuses unknown roles and weak passwords with coded errors, writing nothing', async () => {
    const email = newEmail();
    const base = { databaseUrl: p.database.url, email, migrate: false };
    await expect(
      createAccount({ ...base, password: 'long enough password', roles: ['superuser'] }),
    ).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', field: 'roles' },
    });
    await expect(createAccount({ ...base, password: 'short', roles: ['admin'] })).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', field: 'password' },
    });
    expect(codeOf(await p.gql(LOG_IN, { e: email, p: 'long enough password' }))).toBe('UNAUTHENTICATED');
  });
});

describe('create-account arguments', () => {
  it('reads --email and --role (repeated or comma-separated) and --name', () => {
    expect(parseCliArgs(['--email', 'a@b.vn', '--role', 'admin'])).toEqual({ email: 'a@b.vn', roles: ['admin'] });
    expect(parseCliArgs(['--email', 'a@b.vn', '--role', 'staff,admin', '--name', 'Chị Hoa'])).toEqual({
      email: 'a@b.vn',
      roles: ['staff', 'admin'],
      name: 'Chị Hoa',
    });
    expect(parseCliArgs(['--email', 'a@b.vn', '--role', 'staff', '--role', 'admin']).roles).toEqual(['staff', 'admin']);
  });

  it.each([
    [['--role', 'admin']],
    [['--email', 'a@b.vn']],
    [['--email', 'a@b.vn', '--role', 'admin', '--password', 'x']],
  ])('explains what is missing or unknown in %j', (argv) => {
    expect(() => parseCliArgs(argv)).toThrow(UsageError);
  });

  it('takes the password from ACCOUNT_PASSWORD first, else from piped stdin without its newline', async () => {
    const stdin = () => Object.assign(Readable.from([Buffer.from('từ stdin 12345\n')]), { isTTY: false }) as never;
    expect(await readPassword({ ACCOUNT_PASSWORD: 'from the env 123' }, stdin())).toBe('from the env 123');
    expect(await readPassword({}, stdin())).toBe('từ stdin 12345');
  });
});
