import { prismaOptions } from '@grocery/platform';
import { PrismaClient } from './generated/client';

export type DeliveryDb = InstanceType<typeof PrismaClient>;
export const SCHEMA = 'delivery';

export function createDeliveryDb(url: string): DeliveryDb {
  return new PrismaClient(prismaOptions({ url, schema: SCHEMA }));
}
