import { CacheControl, LocalizedText } from '@grocery/platform';
import { Field, ID, ObjectType } from 'type-graphql';
import { Location } from './references';

@ObjectType({ description: 'A ward (Vietnam since the 2025 reform: province → ward, no districts).' })
@CacheControl({ inheritMaxAge: true })
export class Ward {
  @Field({ description: 'Our stable code for the ward, e.g. "hcm-ben-thanh".' })
  code!: string;

  @Field({ description: 'HCM (Ho Chi Minh City) or HN (Hanoi).' })
  province!: string;

  @Field({ description: 'In the request language (Accept-Language or the locale argument).' })
  name!: string;

  @Field(() => LocalizedText)
  names!: LocalizedText;
}

@ObjectType({ description: 'Wards delivered to from the same stock locations, on the same slots.' })
@CacheControl({ maxAge: 300 })
export class DeliveryZone {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'In the request language.' })
  name!: string;

  @Field(() => LocalizedText)
  names!: LocalizedText;

  @Field()
  province!: string;

  @Field(() => [Ward])
  wards!: Ward[];

  @Field(() => [Location], { description: 'Where its deliveries leave from, the first preferred.' })
  locations!: Location[];
}
