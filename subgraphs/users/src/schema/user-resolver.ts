import { Ctx, Directive, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { UsersContext } from '../context';
import type { UserRecord } from '../domain/account';
import { mayReadPrivateFields } from '../domain/privacy';
import { RoleName, User } from './types';

@Resolver(() => User)
export class UserResolver {
  // Cost (20 per ms of work): one read by id.
  @Directive('@cost(weight: 40)')
  @Query(() => User, { description: 'The signed-in caller; UNAUTHENTICATED without a valid access token.' })
  async me(@Ctx() ctx: UsersContext): Promise<UserRecord> {
    const user = await ctx.accounts.me(ctx.request.identity);
    ctx.loaders.user.prime(user.id, user);
    return user;
  }

  @FieldResolver(() => String, { nullable: true })
  email(@Root() user: UserRecord, @Ctx() ctx: UsersContext): string | null {
    return mayReadPrivateFields(ctx.viewer, user.id) ? user.email : null;
  }

  @FieldResolver(() => [RoleName], { nullable: true })
  roles(@Root() user: UserRecord, @Ctx() ctx: UsersContext): RoleName[] | null {
    return mayReadPrivateFields(ctx.viewer, user.id) ? (user.roles as string[] as RoleName[]) : null;
  }
}

/** Federation: other subgraphs hand us `{ id }`; batched through the request's DataLoader. */
export const userReference = {
  User: {
    __resolveReference: (ref: { id: string }, ctx: UsersContext) => ctx.loaders.user.load(ref.id),
  },
};
