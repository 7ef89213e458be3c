import { prismaOptions } from '@grocery/platform';
import { PrismaClient } from './generated/client';

export type UsersDb = InstanceType<typeof PrismaClient>;
export const SCHEMA = 'users';

export function createUsersDb(url: string, max?: number): UsersDb {
  return new PrismaClient(prismaOptions({ url, schema: SCHEMA, max }));
}
