// The orders subgraph's calls to book and give back a held slot (service only, @inaccessible).
import { createUnionType, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { SlotKindEnum } from './slot-types';

@InputType()
export class BookingAddressInput {
  @Field() recipient!: string;
  @Field() phone!: string;
  @Field() line1!: string;
  @Field() ward!: string;
  @Field() province!: string;
}

@InputType()
export class BookSlotHoldInput {
  @Field(() => ID) holdId!: string;
  @Field(() => ID) orderId!: string;
  @Field() orderNumber!: string;
  @Field(() => ID, { nullable: true }) customerId?: string | null;
  @Field({ description: 'The caller the gateway saw (guests’ holds are theirs by it).' }) clientKey!: string;
  @Field(() => SlotKindEnum) kind!: SlotKindEnum;
  @Field(() => ID) locationId!: string;
  @Field(() => BookingAddressInput, { nullable: true }) address?: BookingAddressInput | null;
  @Field(() => Int, { description: 'Order value (VND): declared to couriers; decides free delivery.' }) value!: number;
  @Field(() => Int, { description: 'Cash to collect on delivery (VND).' }) codAmount!: number;
  @Field(() => Int) itemCount!: number;
  @Field() locale!: string;
}

@ObjectType()
export class SlotBooking {
  @Field(() => ID) holdId!: string;
  @Field(() => ID) slotId!: string;
  @Field() startsAt!: Date;
  @Field() endsAt!: Date;
  @Field(() => Int, { description: 'The delivery fee for this order (VND).' }) fee!: number;
  @Field() service!: string;
}

@ObjectType()
export class SlotBookingRefused {
  @Field({ description: 'HOLD_NOT_FOUND, HOLD_EXPIRED, WRONG_SLOT, NOT_DELIVERED_HERE or SLOT_ITEMS_FULL.' })
  reason!: string;
  @Field() message!: string;
}

export const SlotBookingResult = createUnionType({
  name: 'SlotBookingResult',
  types: () => [SlotBooking, SlotBookingRefused] as const,
  resolveType: (value) => ('reason' in value ? SlotBookingRefused : SlotBooking),
});
