import { Prisma } from './generated/client';

/** True for PostgreSQL's unique_violation as Prisma reports it (P2002). */
export function isUniqueViolation(err: unknown): boolean {
  return err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002';
}
