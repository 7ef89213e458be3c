import { pgAdapter } from '@grocery/platform';
import { PrismaClient } from './generated/client';

export type StockDb = InstanceType<typeof PrismaClient>;
export const SCHEMA = 'stock';

export function createStockDb(url: string): StockDb {
  return new PrismaClient({ adapter: pgAdapter({ url, schema: SCHEMA }) });
}
