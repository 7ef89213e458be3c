// What the users subgraph publishes (topic grocery.users).
import { makeEvent, topicFor, type DomainEvent, type Locale, type Role } from '@grocery/platform';
import type { UserRecord } from '../domain/account';

export const USERS_TOPIC = topicFor('users');
export const SOURCE = 'grocery/users';

export const UserEventType = {
  signedUp: 'user.signed_up',
} as const;

export interface UserSignedUpData {
  userId: string;
  /** For the welcome email (notifications); consumers must not copy it into their own stores. */
  email: string;
  name: string;
  roles: Role[];
  /** The language the customer signed up in, for EN/VI templates. */
  locale: Locale;
}

export function userSignedUp(user: UserRecord, locale: Locale): DomainEvent<UserSignedUpData> {
  return makeEvent({
    source: SOURCE,
    type: UserEventType.signedUp,
    subject: user.id,
    time: user.createdAt,
    data: { userId: user.id, email: user.email, name: user.name, roles: user.roles, locale },
  });
}
