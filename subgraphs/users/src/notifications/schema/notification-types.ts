// The staff view of notifications: each message with its delivery state, filtered and paged.
import { PageInfo } from '@grocery/platform';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum NotificationChannel {
  EMAIL = 'EMAIL',
  SMS = 'SMS',
}
registerEnumType(NotificationChannel, { name: 'NotificationChannel' });

export enum NotificationStatus {
  PENDING = 'PENDING',
  SENDING = 'SENDING',
  SENT = 'SENT',
  DELIVERED = 'DELIVERED',
  BOUNCED = 'BOUNCED',
  DROPPED = 'DROPPED',
  UNDELIVERED = 'UNDELIVERED',
  SKIPPED = 'SKIPPED',
  RETRYING = 'RETRYING',
  DEAD = 'DEAD',
}
registerEnumType(NotificationStatus, {
  name: 'NotificationStatus',
  description:
    'SENT: the provider (or the local outbox) took it; DELIVERED/BOUNCED/DROPPED/UNDELIVERED: its later report; ' +
    'SKIPPED: the customer opted out of the channel; RETRYING: failed, tried again at nextAttemptAt; DEAD: gave up.',
});

@ObjectType({ description: 'One email or SMS about an order (staff only).' })
export class Notification {
  @Field(() => ID) id!: string;
  @Field(() => ID, { description: 'The event it answers.' }) eventId!: string;
  @Field(() => NotificationChannel) channel!: NotificationChannel;
  @Field({ description: 'What it is about, e.g. ORDER_CONFIRMED, SHIPMENT_COURIER_ASSIGNED.' }) kind!: string;
  @Field(() => ID, { nullable: true }) orderId!: string | null;
  @Field(() => ID, { nullable: true }) customerId!: string | null;
  @Field({ description: 'Email address, or phone number in E.164.' }) recipient!: string;
  @Field({ description: '"en" or "vi".' }) locale!: string;
  @Field(() => String, { nullable: true, description: 'Email only.' }) subject!: string | null;
  @Field() body!: string;
  @Field(() => NotificationStatus) status!: NotificationStatus;
  @Field({ description: 'outbox (recorded here only), sendgrid or twilio.' }) provider!: string;
  @Field(() => String, { nullable: true }) providerMessageId!: string | null;
  @Field(() => Int) attempts!: number;
  @Field(() => String, { nullable: true }) lastError!: string | null;
  @Field(() => Date, { nullable: true }) nextAttemptAt!: Date | null;
  @Field(() => String, { nullable: true, description: 'Why it was skipped, or the provider’s last report.' })
  detail!: string | null;
  @Field() createdAt!: Date;
  @Field() updatedAt!: Date;
  @Field(() => Date, { nullable: true }) sentAt!: Date | null;
}

@ObjectType()
export class NotificationEdge {
  @Field() cursor!: string;
  @Field(() => Notification) node!: Notification;
}

@ObjectType()
export class NotificationConnection {
  @Field(() => Int) totalCount!: number;
  @Field(() => [NotificationEdge]) edges!: NotificationEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

@InputType()
export class NotificationFilter {
  @Field(() => ID, { nullable: true }) orderId?: string | null;
  @Field(() => String, { nullable: true, description: 'Email address or E.164 phone number, exactly.' })
  recipient?: string | null;
  @Field(() => NotificationStatus, { nullable: true }) status?: NotificationStatus | null;
  @Field(() => NotificationChannel, { nullable: true }) channel?: NotificationChannel | null;
}
