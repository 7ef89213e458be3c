import { pgAdapter } from '@grocery/platform';
import { PrismaClient } from './generated/client';

export type ProductsDb = InstanceType<typeof PrismaClient>;
export const SCHEMA = 'products';

export function createProductsDb(url: string): ProductsDb {
  return new PrismaClient({ adapter: pgAdapter({ url, schema: SCHEMA }) });
}
