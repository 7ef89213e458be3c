import { LocalizedText } from '@grocery/platform';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { SlotKindEnum } from './slot-types';

@ObjectType({ description: 'A weekly pattern of windows (local time) from which slots are made.' })
export class SlotTemplate {
  @Field(() => ID) id!: string;
  @Field(() => SlotKindEnum) kind!: SlotKindEnum;
  @Field(() => ID, { nullable: true }) zoneId!: string | null;
  @Field(() => ID, { nullable: true }) locationId!: string | null;
  @Field(() => [Int], { description: 'ISO weekdays: 1 = Monday … 7 = Sunday.' }) weekdays!: number[];
  @Field(() => Int, { description: 'Minutes after local midnight.' }) startMinute!: number;
  @Field(() => Int) endMinute!: number;
  @Field(() => Int) windowMinutes!: number;
  @Field(() => Int) capacity!: number;
  @Field(() => Int, { nullable: true }) itemCapacity!: number | null;
  @Field(() => Int) cutoffMinutes!: number;
  @Field() express!: boolean;
  @Field() active!: boolean;
}

@ObjectType()
export class SlotTemplateUpdate {
  @Field(() => SlotTemplate) template!: SlotTemplate;
  @Field(() => Int, { description: 'Future slots that kept their capacity because more was already taken.' })
  slotsKept!: number;
}

@InputType()
export class SlotTemplateInput {
  @Field(() => SlotKindEnum) kind!: SlotKindEnum;
  @Field(() => ID, { nullable: true }) zoneId?: string | null;
  @Field(() => ID, { nullable: true }) locationId?: string | null;
  @Field(() => [Int]) weekdays!: number[];
  @Field(() => Int) startMinute!: number;
  @Field(() => Int) endMinute!: number;
  @Field(() => Int) windowMinutes!: number;
  @Field(() => Int) capacity!: number;
  @Field(() => Int, { nullable: true }) itemCapacity?: number | null;
  @Field(() => Int, { defaultValue: 60 }) cutoffMinutes!: number;
  @Field({ defaultValue: false }) express!: boolean;
}

@InputType()
export class SlotTemplateChangeInput {
  @Field(() => [Int], { nullable: true }) weekdays?: number[] | null;
  @Field(() => Int, { nullable: true }) capacity?: number | null;
  @Field(() => Int, { nullable: true }) itemCapacity?: number | null;
  @Field(() => Int, { nullable: true }) cutoffMinutes?: number | null;
  @Field(() => Boolean, { nullable: true }) active?: boolean | null;
}

@ObjectType({ description: 'A time a zone, a location, or everything (a holiday) takes no orders.' })
export class Closure {
  @Field(() => ID) id!: string;
  @Field(() => ID, { nullable: true }) zoneId!: string | null;
  @Field(() => ID, { nullable: true }) locationId!: string | null;
  @Field() startsAt!: Date;
  @Field() endsAt!: Date;
  @Field(() => LocalizedText) reason!: LocalizedText;
}

@InputType()
export class ClosureInput {
  @Field(() => ID, { nullable: true, description: 'Neither zoneId nor locationId: everywhere (a public holiday).' })
  zoneId?: string | null;
  @Field(() => ID, { nullable: true }) locationId?: string | null;
  @Field() startsAt!: Date;
  @Field() endsAt!: Date;
  @Field() reasonEn!: string;
  @Field() reasonVi!: string;
}
