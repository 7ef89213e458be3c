import { CacheControl } from '@grocery/platform';
import { Directive, Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';

export enum LocationKind {
  STORE = 'STORE',
  WAREHOUSE = 'WAREHOUSE',
  PICKUP_POINT = 'PICKUP_POINT',
}
registerEnumType(LocationKind, {
  name: 'LocationKind',
  description: 'Stores sell and pick, warehouses ship, pickup points hand over.',
});

@ObjectType({ description: 'A location name in English and Vietnamese.' })
@CacheControl({ inheritMaxAge: true })
export class LocationNames {
  @Field()
  en!: string;

  @Field()
  vi!: string;
}

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A place that holds stock: a store, a warehouse or a pickup point.' })
@CacheControl({ maxAge: 300 })
export class Location {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'In the request language (Accept-Language or the locale argument).' })
  name!: string;

  @Field(() => LocationNames)
  names!: LocationNames;

  @Field(() => LocationKind)
  kind!: LocationKind;

  @Field()
  city!: string;

  @Field()
  address!: string;
}

@InputType()
export class LocationFilter {
  @Field(() => LocationKind, { nullable: true })
  kind?: LocationKind;

  @Field(() => String, { nullable: true, description: 'City name, case-insensitive (e.g. "Hà Nội").' })
  city?: string;
}
