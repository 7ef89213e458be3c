// The one auth context: who is calling, and the checks subgraphs make themselves.
import { forbidden, unauthenticated } from '../errors';

export const ROLES = ['customer', 'staff', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Identity {
  userId: string;
  roles: Role[];
}

export function requireIdentity(identity: Identity | undefined): Identity {
  if (!identity) throw unauthenticated();
  return identity;
}

/** Admin implies staff; staff does not imply admin. */
export function hasRole(identity: Identity | undefined, role: Role): boolean {
  if (!identity) return false;
  if (identity.roles.includes(role)) return true;
  return role === 'staff' && identity.roles.includes('admin');
}

export function requireRole(identity: Identity | undefined, role: Role): Identity {
  const who = requireIdentity(identity);
  if (!hasRole(who, role)) throw forbidden(`This needs the ${role} role.`);
  return who;
}
