import { prismaOptions } from '@grocery/platform';
import { PrismaClient } from './generated/client';

export type StockDb = InstanceType<typeof PrismaClient>;
export const SCHEMA = 'stock';

export function createStockDb(url: string): StockDb {
  return new PrismaClient(prismaOptions({ url, schema: SCHEMA }));
}
