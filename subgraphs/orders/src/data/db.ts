import { prismaOptions } from '@grocery/platform';
import { PrismaClient } from './generated/client';

export type OrdersDb = InstanceType<typeof PrismaClient>;
export const SCHEMA = 'orders';

export function createOrdersDb(url: string): OrdersDb {
  return new PrismaClient(prismaOptions({ url, schema: SCHEMA }));
}
