// notifications: staff read every message the platform sent, skipped, is retrying or gave up
// on. Newest first, at most 100 a page.
import { AppError, badInput, ErrorCode, requireRole } from '@grocery/platform';
import { Arg, Ctx, Directive, Int, Query, Resolver } from 'type-graphql';
import type { UsersContext } from '../../context';
import { Notification, NotificationConnection, NotificationFilter } from './notification-types';

export const MAX_NOTIFICATIONS_PAGE = 100;

const cursorOf = (createdAt: Date, id: string) =>
  Buffer.from(`${createdAt.toISOString()}|${id}`, 'utf8').toString('base64url');

function parseCursor(after: string): { createdAt: Date; id: string } {
  const [at, id] = Buffer.from(after, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at ?? '');
  if (!id || !/^[0-9a-f-]{36}$/i.test(id) || Number.isNaN(createdAt.getTime()))
    throw badInput('after is not a cursor from this list', 'after');
  return { createdAt, id };
}

@Resolver()
export class NotificationResolver {
  @Directive('@cost(weight: 20)')
  @Directive('@listSize(slicingArguments: ["first"], sizedFields: ["edges"])')
  @Query(() => NotificationConnection, {
    description: `Staff only: emails and SMS about orders, newest first. first: 1-${MAX_NOTIFICATIONS_PAGE}.`,
  })
  async notifications(
    @Ctx() ctx: UsersContext,
    @Arg('filter', () => NotificationFilter, { nullable: true }) filter: NotificationFilter | null,
    @Arg('first', () => Int, { defaultValue: 20 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<NotificationConnection> {
    requireRole(ctx.request.identity, 'staff');
    if (!Number.isInteger(first) || first < 1 || first > MAX_NOTIFICATIONS_PAGE)
      throw new AppError(ErrorCode.BAD_USER_INPUT, `first must be 1 to ${MAX_NOTIFICATIONS_PAGE}`, {
        field: 'first',
        limit: 'first',
        max: MAX_NOTIFICATIONS_PAGE,
      });
    if (filter?.recipient && filter.recipient.length > 254) throw badInput('recipient is too long', 'filter.recipient');
    const page = await ctx.notifications.list(filter ?? {}, first, after ? parseCursor(after) : null);
    const edges = page.rows.map((n) => ({ cursor: cursorOf(n.createdAt, n.id), node: n as unknown as Notification }));
    return {
      totalCount: page.totalCount,
      edges,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
    };
  }
}
