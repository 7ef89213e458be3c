import { localeOf, LocaleArg } from '@grocery/platform';
import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { DeliveryContext } from '../context';
import type { WardInfo, Zone } from '../domain/zone-directory';
import { DeliveryZone, Ward } from './zone-types';

export function zoneView(zone: Zone): DeliveryZone {
  return {
    id: zone.id,
    name: zone.nameVi,
    names: { en: zone.nameEn, vi: zone.nameVi },
    province: zone.province,
    wards: zone.wards.map(wardView),
    locations: zone.locationIds.map((id) => ({ id })),
  };
}

function wardView(w: WardInfo): Ward {
  return { code: w.code, province: w.province, name: w.nameVi, names: { en: w.nameEn, vi: w.nameVi } };
}

@Resolver(() => DeliveryZone)
export class ZoneResolver {
  @Query(() => [DeliveryZone], { description: 'Where we deliver: zones of wards in Ho Chi Minh City and Hanoi.' })
  async deliveryZones(@Ctx() ctx: DeliveryContext): Promise<DeliveryZone[]> {
    return (await ctx.zones.all()).map(zoneView);
  }

  @Query(() => DeliveryZone, {
    nullable: true,
    description: 'The zone that delivers to a ward (null: not delivered to).',
  })
  async deliveryZoneForWard(@Arg('ward') ward: string, @Ctx() ctx: DeliveryContext): Promise<DeliveryZone | null> {
    if (ward.length > 100) return null;
    const zone = await ctx.zones.forWard(ward);
    return zone ? zoneView(zone) : null;
  }

  @FieldResolver(() => String)
  name(
    @Root() zone: DeliveryZone,
    @Ctx() ctx: DeliveryContext,
    @Arg('locale', () => LocaleArg, { nullable: true }) locale?: LocaleArg,
  ): string {
    return zone.names[localeOf(ctx, locale)];
  }
}

@Resolver(() => Ward)
export class WardResolver {
  @FieldResolver(() => String)
  name(
    @Root() ward: Ward,
    @Ctx() ctx: DeliveryContext,
    @Arg('locale', () => LocaleArg, { nullable: true }) locale?: LocaleArg,
  ): string {
    return ward.names[localeOf(ctx, locale)];
  }
}
