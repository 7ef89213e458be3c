// Staff only: slot templates and closures.
import { Arg, Ctx, Directive, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { DeliveryContext } from '../context';
import type { ClosureRecord, TemplateChange, TemplateRecord } from '../data/schedule-store';
import {
  Closure,
  ClosureInput,
  SlotTemplate,
  SlotTemplateChangeInput,
  SlotTemplateInput,
  SlotTemplateUpdate,
} from './schedule-types';
import type { SlotKindEnum } from './slot-types';

const templateView = (t: TemplateRecord): SlotTemplate => ({ ...t, kind: t.kind as SlotKindEnum });
const closureView = (c: ClosureRecord): Closure => ({ ...c, reason: { en: c.reasonEn, vi: c.reasonVi } });

@Resolver()
export class ScheduleResolver {
  @Query(() => [SlotTemplate], { description: 'Staff: slot templates, of a zone or location when given.' })
  async slotTemplates(
    @Ctx() ctx: DeliveryContext,
    @Arg('zoneId', () => ID, { nullable: true }) zoneId?: string | null,
    @Arg('locationId', () => ID, { nullable: true }) locationId?: string | null,
  ): Promise<SlotTemplate[]> {
    return (await ctx.schedule.templates(ctx.request.identity, { zoneId, locationId })).map(templateView);
  }

  @Directive('@cost(weight: 150)')
  @Mutation(() => SlotTemplate, {
    description: 'Staff: a new weekly pattern of windows for a zone or a pickup location.',
  })
  async createSlotTemplate(
    @Arg('input', () => SlotTemplateInput) input: SlotTemplateInput,
    @Ctx() ctx: DeliveryContext,
  ): Promise<SlotTemplate> {
    return templateView(
      await ctx.schedule.createTemplate(ctx.request.identity, {
        ...input,
        zoneId: input.zoneId ?? null,
        locationId: input.locationId ?? null,
        itemCapacity: input.itemCapacity ?? null,
      }),
    );
  }

  @Directive('@cost(weight: 200)')
  @Mutation(() => SlotTemplateUpdate, {
    description: 'Staff: change a template. A new capacity applies to future slots that have no more taken than it.',
  })
  async updateSlotTemplate(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => SlotTemplateChangeInput) input: SlotTemplateChangeInput,
    @Ctx() ctx: DeliveryContext,
  ): Promise<SlotTemplateUpdate> {
    const change: TemplateChange = {};
    if (input.weekdays != null) change.weekdays = input.weekdays;
    if (input.capacity != null) change.capacity = input.capacity;
    if (input.itemCapacity !== undefined) change.itemCapacity = input.itemCapacity;
    if (input.cutoffMinutes != null) change.cutoffMinutes = input.cutoffMinutes;
    if (input.active != null) change.active = input.active;
    const r = await ctx.schedule.updateTemplate(ctx.request.identity, id, change);
    return { template: templateView(r.template), slotsKept: r.slotsKept };
  }

  @Query(() => [Closure], { description: 'Staff: closures overlapping [from, to).' })
  async closures(@Arg('from') from: Date, @Arg('to') to: Date, @Ctx() ctx: DeliveryContext): Promise<Closure[]> {
    return (await ctx.schedule.closures(ctx.request.identity, from, to)).map(closureView);
  }

  @Directive('@cost(weight: 100)')
  @Mutation(() => Closure, {
    description: 'Staff: no slots of the zone, location or (neither given) anywhere in the interval.',
  })
  async addClosure(
    @Arg('input', () => ClosureInput) input: ClosureInput,
    @Ctx() ctx: DeliveryContext,
  ): Promise<Closure> {
    return closureView(
      await ctx.schedule.addClosure(ctx.request.identity, {
        ...input,
        zoneId: input.zoneId ?? null,
        locationId: input.locationId ?? null,
      }),
    );
  }

  @Directive('@cost(weight: 100)')
  @Mutation(() => Closure)
  async removeClosure(@Arg('id', () => ID) id: string, @Ctx() ctx: DeliveryContext): Promise<Closure> {
    return closureView(await ctx.schedule.removeClosure(ctx.request.identity, id));
  }
}
