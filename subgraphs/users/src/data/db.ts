import { pgAdapter } from '@grocery/platform';
import { PrismaClient } from './generated/client';

export type UsersDb = InstanceType<typeof PrismaClient>;
export const SCHEMA = 'users';

export function createUsersDb(url: string, max?: number): UsersDb {
  return new PrismaClient({ adapter: pgAdapter({ url, schema: SCHEMA, max }) });
}
