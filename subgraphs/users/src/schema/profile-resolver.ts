// A user's contact data and notification consent: phone, language and per-channel preferences
// (read by the user themself and staff), and the mutations that change them (the user themself).
import { Arg, Ctx, Directive, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { LocaleArg } from '@grocery/platform';
import type { UsersContext } from '../context';
import type { UserRecord } from '../domain/account';
import { mayReadPrivateFields } from '../domain/privacy';
import { NotificationPreferences, UpdateProfileInput, User } from './types';

@Resolver(() => User)
export class ProfileResolver {
  @FieldResolver(() => String, { nullable: true })
  phone(@Root() user: UserRecord, @Ctx() ctx: UsersContext): string | null {
    return mayReadPrivateFields(ctx.viewer, user.id) ? user.phone : null;
  }

  @FieldResolver(() => LocaleArg, { nullable: true })
  locale(@Root() user: UserRecord, @Ctx() ctx: UsersContext): LocaleArg | null {
    return mayReadPrivateFields(ctx.viewer, user.id) ? ((user.locale ?? 'vi') as LocaleArg) : null;
  }

  @FieldResolver(() => NotificationPreferences, { nullable: true })
  notificationPreferences(@Root() user: UserRecord, @Ctx() ctx: UsersContext): NotificationPreferences | null {
    return mayReadPrivateFields(ctx.viewer, user.id) ? user.notificationPreferences : null;
  }

  @Directive('@cost(weight: 40)')
  @Mutation(() => User, { description: 'The signed-in user changes their name, phone and/or language.' })
  async updateProfile(@Arg('input', () => UpdateProfileInput) input: UpdateProfileInput, @Ctx() ctx: UsersContext) {
    return ctx.accounts.updateProfile(ctx.request.identity, input);
  }

  @Directive('@cost(weight: 40)')
  @Mutation(() => User, {
    description:
      'The signed-in user opts in (true) or out (false) of order notifications per channel; an omitted channel keeps its setting.',
  })
  async setNotificationPreferences(
    @Ctx() ctx: UsersContext,
    @Arg('email', () => Boolean, { nullable: true }) email: boolean | null,
    @Arg('sms', () => Boolean, { nullable: true }) sms: boolean | null,
  ) {
    return ctx.accounts.setNotificationPreferences(ctx.request.identity, { email, sms });
  }
}
