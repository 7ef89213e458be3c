import { Arg, Ctx, Directive, Mutation, Resolver } from 'type-graphql';
import type { UsersContext } from '../context';
import type { Session } from '../domain/session-service';
import { AuthPayload, LogInInput, SignUpInput } from './types';

/** The caller just proved who they are: the payload may show them their own private fields. */
function signedIn(ctx: UsersContext, session: Session): Session {
  ctx.viewer.authenticatedInRequest.add(session.user.id);
  ctx.loaders.user.clear(session.user.id).prime(session.user.id, session.user);
  return session;
}

@Resolver()
export class SessionResolver {
  // Cost (20 per ms of work, `pnpm bench cost`): argon2id, memory-hard on purpose (19 MiB each):
  // signUp ~30 ms (22-46), logIn ~21 ms (17-41); then a write (or a read) and a signed token.
  @Directive('@cost(weight: 800)')
  @Mutation(() => AuthPayload, { description: 'Creates a customer account and signs it in.' })
  async signUp(@Arg('input', () => SignUpInput) input: SignUpInput, @Ctx() ctx: UsersContext): Promise<Session> {
    return signedIn(ctx, await ctx.accounts.signUp(input, ctx.request.locale, ctx.request.clientKey));
  }

  @Directive('@cost(weight: 800)')
  @Mutation(() => AuthPayload, { description: 'Signs in with email and password.' })
  async logIn(@Arg('input', () => LogInInput) input: LogInInput, @Ctx() ctx: UsersContext): Promise<Session> {
    return signedIn(ctx, await ctx.accounts.logIn(input, ctx.request.clientKey));
  }

  // A locked rotation of the token row and a signed access token, ~9 ms (6-22).
  @Directive('@cost(weight: 200)')
  @Mutation(() => AuthPayload, {
    description: 'Exchanges a refresh token for a new access token and refresh token (the old one is spent).',
  })
  async refreshSession(
    @Arg('refreshToken', () => String) refreshToken: string,
    @Ctx() ctx: UsersContext,
  ): Promise<Session> {
    return signedIn(ctx, await ctx.sessions.refresh(refreshToken));
  }

  @Directive('@cost(weight: 100)')
  @Mutation(() => Boolean, {
    description: 'Ends the session the refresh token belongs to; false when the token is unknown.',
  })
  logOut(@Arg('refreshToken', () => String) refreshToken: string, @Ctx() ctx: UsersContext): Promise<boolean> {
    return ctx.sessions.logOut(refreshToken);
  }
}
