// Slots as clients see them, holds, and holdSlot's typed results (a full or closed slot is an
// expected outcome a checkout must handle: data, not an error).
import { defineErrorResult, LocalizedText, Money } from '@grocery/platform';
import { createUnionType, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Location } from './references';

export enum SlotKindEnum {
  DELIVERY = 'DELIVERY',
  PICKUP = 'PICKUP',
}
registerEnumType(SlotKindEnum, {
  name: 'SlotKind',
  description: 'Delivery to a ward of a zone, or pickup at a store.',
});

export enum SlotStateEnum {
  OPEN = 'OPEN',
  FULL = 'FULL',
  CLOSED = 'CLOSED',
  CUT_OFF = 'CUT_OFF',
  PAST = 'PAST',
}
registerEnumType(SlotStateEnum, {
  name: 'SlotState',
  description:
    'OPEN can be held; FULL has no capacity left; CLOSED falls in a closure; CUT_OFF is too close to its start.',
});

export enum ServiceLevelEnum {
  EXPRESS = 'EXPRESS',
  SAME_DAY = 'SAME_DAY',
  NEXT_DAY = 'NEXT_DAY',
  PICKUP = 'PICKUP',
}
registerEnumType(ServiceLevelEnum, { name: 'DeliveryServiceLevel', description: 'What a slot costs depends on it.' });

@ObjectType({ description: 'A delivery or pickup window (times are UTC; windows are set in Asia/Ho_Chi_Minh).' })
export class DeliverySlot {
  @Field(() => ID)
  id!: string;

  @Field(() => SlotKindEnum)
  kind!: SlotKindEnum;

  @Field(() => ID, { nullable: true, description: 'DELIVERY: the zone.' })
  zoneId!: string | null;

  @Field(() => Location, { nullable: true, description: 'PICKUP: the store or pickup point.' })
  location!: Location | null;

  @Field()
  startsAt!: Date;

  @Field()
  endsAt!: Date;

  @Field({ description: 'Holds are taken until then (the same-day cut-off).' })
  cutoffAt!: Date;

  @Field(() => Int, { description: 'Orders the slot takes.' })
  capacity!: number;

  @Field(() => Int, { description: 'Orders it can still take (capacity minus live holds and bookings).' })
  remaining!: number;

  @Field(() => SlotStateEnum)
  state!: SlotStateEnum;

  @Field({ description: 'Whether holdSlot can take it now: never for a past, closed, cut-off or full slot.' })
  bookable!: boolean;

  @Field(() => ServiceLevelEnum)
  service!: ServiceLevelEnum;

  @Field(() => Money, {
    description: 'The delivery fee (free above the free-delivery value when orderValue was given).',
  })
  fee!: Money;

  @Field(() => LocalizedText, { nullable: true, description: 'Why the slot is closed (a holiday, a closure).' })
  closedReason!: LocalizedText | null;
}

@ObjectType({ description: 'One unit of a slot’s capacity, held for a few minutes for a checkout.' })
export class SlotHold {
  @Field(() => ID)
  id!: string;

  @Field(() => DeliverySlot)
  slot!: DeliverySlot;

  @Field({ description: 'When the hold gives its unit back unless an order books it.' })
  expiresAt!: Date;
}

export const DeliveryErrorCode = {
  SLOT_FULL: 'SLOT_FULL',
  SLOT_UNAVAILABLE: 'SLOT_UNAVAILABLE',
} as const;
export type DeliveryErrorCode = (typeof DeliveryErrorCode)[keyof typeof DeliveryErrorCode];
export const DeliveryErrorResult = defineErrorResult(DeliveryErrorCode);

@ObjectType({ implements: DeliveryErrorResult, description: 'The slot has no capacity left; nothing was held.' })
export class SlotFull {
  @Field(() => DeliveryErrorCode, { description: 'Always SLOT_FULL.' })
  errorCode!: DeliveryErrorCode;

  @Field()
  message!: string;

  @Field(() => ID)
  slotId!: string;

  @Field(() => [DeliverySlot], {
    description: 'The next bookable slots of the same zone or store (next day when today is full).',
  })
  nextSlots!: DeliverySlot[];
}

export enum SlotUnavailableReason {
  PAST = 'PAST',
  CUT_OFF = 'CUT_OFF',
  CLOSED = 'CLOSED',
}
registerEnumType(SlotUnavailableReason, { name: 'SlotUnavailableReason' });

@ObjectType({
  implements: DeliveryErrorResult,
  description: 'The slot cannot be held any more (started, past its cut-off, or closed).',
})
export class SlotUnavailable {
  @Field(() => DeliveryErrorCode, { description: 'Always SLOT_UNAVAILABLE.' })
  errorCode!: DeliveryErrorCode;

  @Field()
  message!: string;

  @Field(() => ID)
  slotId!: string;

  @Field(() => SlotUnavailableReason)
  reason!: SlotUnavailableReason;

  @Field(() => [DeliverySlot])
  nextSlots!: DeliverySlot[];
}

export const HoldSlotResult = createUnionType({
  name: 'HoldSlotResult',
  types: () => [SlotHold, SlotFull, SlotUnavailable] as const,
  resolveType: (value) =>
    !('errorCode' in value) ? SlotHold : value.errorCode === DeliveryErrorCode.SLOT_FULL ? SlotFull : SlotUnavailable,
});
