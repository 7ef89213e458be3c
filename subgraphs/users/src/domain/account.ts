// The users domain's view of an account and the rules for what a client may send; no GraphQL
// or Prisma types here.
import { badInput, isUuid, ROLES, type Locale, type Role } from '@grocery/platform';
import { z } from 'zod';

export interface UserRecord {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  /** E.164 Vietnamese mobile, for SMS. */
  phone: string | null;
  /** The language they chose; null: none chosen (each order's language is used). */
  locale: Locale | null;
  notificationPreferences: NotificationPreferences;
  createdAt: Date;
}

/** Per-channel consent to order notifications; an opted-out channel is recorded as SKIPPED. */
export interface NotificationPreferences {
  email: boolean;
  sms: boolean;
}

/** A user with the stored password hash: never leaves the domain and data layers. */
export interface UserWithSecret extends UserRecord {
  passwordHash: string;
}

export const withoutSecret = ({ passwordHash: _omit, ...user }: UserWithSecret): UserRecord => user;

export const PASSWORD_MIN = 10;
/** Caps the work one request can ask argon2 to do, and what a person can type. */
export const PASSWORD_MAX = 200;
export const NAME_MAX = 100;
/** RFC 5321's practical limit for a forward path. */
export const EMAIL_MAX = 254;

const emailSyntax = z.string().email();

/** Emails are compared and stored trimmed and lower-cased, so "An@B.vn " and "an@b.vn" are one account. */
export function normalizeEmail(value: string): string {
  return value.trim().toLowerCase();
}

export function validEmail(value: string): string {
  const email = normalizeEmail(value);
  if (email.length === 0) throw badInput('Enter an email address.', 'email');
  if (email.length > EMAIL_MAX || !emailSyntax.safeParse(email).success)
    throw badInput('Enter a valid email address, like an@example.vn.', 'email');
  return email;
}

/**
 * NFC first: Vietnamese keyboards (Telex, VNI) may send "ư" precomposed on one device and as
 * "u" + combining horn on another; the same typed password must hash the same.
 * Lengths count characters (code points), not UTF-16 units.
 */
export function validPassword(value: string): string {
  const password = value.normalize('NFC');
  const length = [...password].length;
  if (length < PASSWORD_MIN) throw badInput(`Password must be at least ${PASSWORD_MIN} characters.`, 'password');
  if (length > PASSWORD_MAX) throw badInput(`Password must be at most ${PASSWORD_MAX} characters.`, 'password');
  return password;
}

export function validName(value: string): string {
  const name = value.trim().normalize('NFC');
  if (name.length === 0) throw badInput('Enter your name.', 'name');
  if ([...name].length > NAME_MAX) throw badInput(`Name must be at most ${NAME_MAX} characters.`, 'name');
  return name;
}

/** Known roles only, each once, in a stable order (customer, staff, admin). */
export function validRoles(values: readonly string[]): Role[] {
  if (values.length === 0) throw badInput('Give at least one role.', 'roles');
  for (const r of values)
    if (!(ROLES as readonly string[]).includes(r))
      throw badInput(`Unknown role "${r}"; use one of ${ROLES.join(', ')}.`, 'roles');
  return ROLES.filter((r) => values.includes(r));
}

/** Roles as stored may predate a role's removal: keep only the ones this code knows. */
export function knownRoles(values: readonly string[]): Role[] {
  return ROLES.filter((r) => values.includes(r));
}

export interface SignUpInput {
  email: string;
  password: string;
  name: string;
}

export function validateSignUp(input: SignUpInput): SignUpInput {
  return { email: validEmail(input.email), password: validPassword(input.password), name: validName(input.name) };
}

export interface LogInInput {
  email: string;
  password: string;
}

/**
 * Log-in checks only what cannot match any account anyway (malformed email, over-long
 * password), so the password policy itself is never a hint about whether an account exists.
 */
export function validateLogIn(input: LogInInput): LogInInput {
  const email = validEmail(input.email);
  const password = input.password.normalize('NFC');
  if (password.length === 0) throw badInput('Enter your password.', 'password');
  if ([...password].length > PASSWORD_MAX)
    throw badInput(`Password must be at most ${PASSWORD_MAX} characters.`, 'password');
  return { email, password };
}

/** Ids from other subgraphs or tokens are untrusted text; only UUIDs can name a user. */
export function isUserId(value: string): boolean {
  return isUuid(value);
}

/**
 * A Vietnamese mobile number in E.164 (+84 and nine digits, the first 3, 5, 7, 8 or 9: the
 * prefixes in use since the 2018 renumbering), from "0912 345 678", "+84912345678",
 * "84-912-345-678"; null when it is not one.
 */
export function vietnameseMobile(value: string): string | null {
  const digits = value.trim().replace(/[\s.\-()]/g, '');
  const m = /^(?:\+?84|0)([35789]\d{8})$/.exec(digits);
  return m ? `+84${m[1]}` : null;
}

export function validPhone(value: string): string {
  const phone = vietnameseMobile(value);
  if (!phone) throw badInput('Enter a Vietnamese mobile number, like 0912 345 678 or +84 912 345 678.', 'phone');
  return phone;
}

export interface ProfileChange {
  name?: string;
  /** Null removes the number. */
  phone?: string | null;
  locale?: Locale;
}

/** Only what was given changes; an empty phone removes it. */
export function validateProfileChange(input: {
  name?: string | null;
  phone?: string | null;
  locale?: string | null;
}): ProfileChange {
  const change: ProfileChange = {};
  if (input.name !== undefined && input.name !== null) change.name = validName(input.name);
  if (input.phone !== undefined)
    change.phone = input.phone === null || input.phone.trim() === '' ? null : validPhone(input.phone);
  if (input.locale !== undefined && input.locale !== null) {
    if (input.locale !== 'en' && input.locale !== 'vi') throw badInput('locale must be en or vi', 'locale');
    change.locale = input.locale;
  }
  if (Object.keys(change).length === 0) throw badInput('Give at least one of name, phone and locale.');
  return change;
}
