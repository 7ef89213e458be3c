// The one auth context: who is calling, and the checks subgraphs make themselves.
import { forbidden, unauthenticated } from '../errors';

export const ROLES = ['customer', 'staff', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Identity {
  userId: string;
  roles: Role[];
  /**
   * Set only when another subgraph of this platform calls (subgraph/peer-client.ts): in process,
   * or over HTTP with the gateway's signature. Never read from an access token.
   */
  service?: string;
}

/** The identity a subgraph calls its peers with. */
export function serviceIdentity(service: string): Identity {
  return { userId: `service:${service}`, roles: [], service };
}

/** Operations only the platform's own services call (checkout reserving stock, claiming coupons). */
export function requireService(identity: Identity | undefined, ...services: string[]): Identity {
  if (!identity?.service) throw forbidden('Only the platform’s own services may do this.');
  if (services.length > 0 && !services.includes(identity.service))
    throw forbidden(`The ${identity.service} service may not do this.`);
  return identity;
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
