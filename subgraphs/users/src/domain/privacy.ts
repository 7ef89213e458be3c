// Who may read a user's private fields (email, roles): the user themself and staff. Other
// subgraphs resolve User entities for anyone (e.g. a review's author), so these fields read as
// null for other callers rather than failing the whole response.
import { hasRole, type Identity } from '@grocery/platform';

export interface Viewer {
  identity?: Identity;
  /** Users who proved who they are in this very request (sign-up, log-in, refresh). */
  authenticatedInRequest: ReadonlySet<string>;
}

export function mayReadPrivateFields(viewer: Viewer, userId: string): boolean {
  return (
    viewer.identity?.userId === userId || viewer.authenticatedInRequest.has(userId) || hasRole(viewer.identity, 'staff')
  );
}
