// Shipments as clients see them: Order.shipment (the order's customer and staff), staff's list,
// and deliveryTracking's stream of status and position changes.
import { Money } from '@grocery/platform';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum ShipmentStatusEnum {
  PENDING = 'PENDING',
  BOOKED = 'BOOKED',
  COURIER_ASSIGNED = 'COURIER_ASSIGNED',
  PICKED_UP = 'PICKED_UP',
  IN_TRANSIT = 'IN_TRANSIT',
  DELIVERED = 'DELIVERED',
  FAILED = 'FAILED',
  RETURNED = 'RETURNED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(ShipmentStatusEnum, {
  name: 'ShipmentStatus',
  description:
    'PENDING: no courier yet (booked once the order is out for delivery); then as the courier reports it, never backwards.',
});

export enum DeliveryProviderEnum {
  SIMULATOR = 'SIMULATOR',
  GRAB = 'GRAB',
  VIETTELPOST = 'VIETTELPOST',
  GHN = 'GHN',
}
registerEnumType(DeliveryProviderEnum, {
  name: 'DeliveryProvider',
  description: 'The courier: Grab Express, ViettelPost, GHN, or the built-in simulator.',
});

export enum ShipmentPurposeEnum {
  DELIVERY = 'DELIVERY',
  RETURN = 'RETURN',
}
registerEnumType(ShipmentPurposeEnum, { name: 'ShipmentPurpose' });

@ObjectType({ description: 'The courier on the way (when the courier says).' })
export class Courier {
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => String, { nullable: true }) phone!: string | null;
  @Field(() => String, { nullable: true, description: 'Vehicle plate.' }) vehicle!: string | null;
}

@ObjectType({
  description: 'Where the courier was (the simulator reports positions; real couriers give a tracking URL).',
})
export class CourierPosition {
  @Field() latitude!: number;
  @Field() longitude!: number;
  @Field() at!: Date;
}

@ObjectType({ description: 'A delivery of an order by a courier, or the pickup of a return.' })
export class Shipment {
  @Field(() => ID) id!: string;
  @Field(() => ID) orderId!: string;
  @Field(() => ShipmentPurposeEnum) purpose!: ShipmentPurposeEnum;
  @Field(() => ShipmentStatusEnum) status!: ShipmentStatusEnum;
  @Field({ description: 'When the courier says the status was reached.' }) statusAt!: Date;
  @Field(() => DeliveryProviderEnum, { nullable: true }) provider!: DeliveryProviderEnum | null;
  @Field(() => String, { nullable: true, description: 'The courier’s live tracking page, once it has one.' })
  trackingUrl!: string | null;
  @Field(() => Date, { nullable: true, description: 'When the courier expects to arrive.' }) eta!: Date | null;
  @Field(() => Courier, { nullable: true }) courier!: Courier | null;
  @Field(() => Date, { nullable: true, description: 'The booked delivery window.' }) windowStartsAt!: Date | null;
  @Field(() => Date, { nullable: true }) windowEndsAt!: Date | null;
  @Field(() => Money, { nullable: true, description: 'What the courier charges us (not the customer’s fee).' })
  courierFee!: Money | null;
  @Field(() => String, { nullable: true, description: 'Why it failed or was cancelled.' }) reason!: string | null;
  @Field(() => Int) version!: number;
  // Staff-facing details (the resolver hides them from customers).
  @Field(() => Int, { nullable: true, description: 'Staff: booking attempts so far.' }) attempts!: number | null;
  @Field(() => String, { nullable: true, description: 'Staff: why the last booking attempt failed.' })
  lastError!: string | null;
  @Field(() => Date, { nullable: true, description: 'Staff: when booking is tried again (null: waits for staff).' })
  nextAttemptAt!: Date | null;
}

@ObjectType({ description: 'One change of an order’s delivery: its status, tracking, courier or position.' })
export class DeliveryTrackingUpdate {
  @Field(() => ID) orderId!: string;
  @Field(() => ID) shipmentId!: string;
  @Field(() => ShipmentStatusEnum) status!: ShipmentStatusEnum;
  @Field(() => DeliveryProviderEnum, { nullable: true }) provider!: DeliveryProviderEnum | null;
  @Field(() => String, { nullable: true }) trackingUrl!: string | null;
  @Field(() => Date, { nullable: true }) eta!: Date | null;
  @Field(() => Courier, { nullable: true }) courier!: Courier | null;
  @Field(() => CourierPosition, { nullable: true, description: 'Set when this change is a courier position.' })
  position!: CourierPosition | null;
  @Field(() => Int) version!: number;
  @Field() changedAt!: Date;
}
