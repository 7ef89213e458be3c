import DataLoader from 'dataloader';
import type { RequestInfo } from '@grocery/platform';
import type { UserRecord } from './domain/account';
import type { AccountService } from './domain/account-service';
import type { Viewer } from './domain/privacy';
import type { SessionService } from './domain/session-service';
import type { NotificationStore } from './notifications';

export interface UsersContext {
  request: RequestInfo;
  accounts: AccountService;
  sessions: SessionService;
  /** The staff listing of notifications. */
  notifications: Pick<NotificationStore, 'list'>;
  viewer: Viewer & { authenticatedInRequest: Set<string> };
  loaders: {
    user: DataLoader<string, UserRecord | null>;
  };
}

export function createUsersContext(
  request: RequestInfo,
  accounts: AccountService,
  sessions: SessionService,
  notifications: Pick<NotificationStore, 'list'>,
): UsersContext {
  return {
    request,
    accounts,
    sessions,
    notifications,
    viewer: { identity: request.identity, authenticatedInRequest: new Set() },
    loaders: {
      user: new DataLoader((ids) => accounts.usersByIds(ids), { maxBatchSize: 500 }),
    },
  };
}
