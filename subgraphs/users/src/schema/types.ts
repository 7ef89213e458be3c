import { LocaleArg } from '@grocery/platform';
import { Directive, Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';

/** The GraphQL side of the platform's roles (values as they appear in access tokens). */
export enum RoleName {
  customer = 'customer',
  staff = 'staff',
  admin = 'admin',
}
registerEnumType(RoleName, { name: 'Role', description: 'What an account may do; admin includes staff.' });

@ObjectType({ description: 'Order notifications per channel: false means opted out (nothing is sent).' })
export class NotificationPreferences {
  @Field()
  email!: boolean;

  @Field()
  sms!: boolean;
}

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A customer, staff member or administrator.' })
export class User {
  @Field(() => ID)
  id!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Lower-cased. Only the user themself and staff see it; null for everyone else.',
  })
  email?: string | null;

  @Field()
  name!: string;

  @Directive('@listSize(assumedSize: 3)')
  @Field(() => [RoleName], {
    nullable: true,
    description: 'Only the user themself and staff see them; null for everyone else.',
  })
  roles?: RoleName[] | null;

  @Field(() => String, {
    nullable: true,
    description: 'Vietnamese mobile in E.164, for SMS. Only the user themself and staff see it.',
  })
  phone?: string | null;

  @Field(() => LocaleArg, {
    nullable: true,
    description:
      'The language of their emails and SMS (vi unless they chose en). Only the user themself and staff see it.',
  })
  locale?: LocaleArg | null;

  @Field(() => NotificationPreferences, {
    nullable: true,
    description: 'Which channels order notifications use. Only the user themself and staff see them.',
  })
  notificationPreferences?: NotificationPreferences | null;

  @Field()
  createdAt!: Date;
}

@ObjectType({ description: 'A signed-in session: send accessToken as "Authorization: Bearer …".' })
export class AuthPayload {
  @Field({ description: 'Short-lived JWT (ES256); verify with /.well-known/jwks.json.' })
  accessToken!: string;

  @Field()
  accessTokenExpiresAt!: Date;

  @Field({ description: 'Single use: refreshSession returns its successor. Presenting it twice ends the session.' })
  refreshToken!: string;

  @Field()
  refreshTokenExpiresAt!: Date;

  @Field(() => User)
  user!: User;
}

@InputType()
export class SignUpInput {
  @Field()
  email!: string;

  @Field({ description: '10 to 200 characters.' })
  password!: string;

  @Field()
  name!: string;
}

@InputType()
export class LogInInput {
  @Field()
  email!: string;

  @Field()
  password!: string;
}

@InputType({ description: 'Only the fields given change.' })
export class UpdateProfileInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'A Vietnamese mobile number ("0912 345 678", "+84912345678"); null or "" removes it.',
  })
  phone?: string | null;

  @Field(() => LocaleArg, { nullable: true })
  locale?: LocaleArg | null;
}
