// The bundles' storage port: data/bundle-repository.ts implements it with Prisma. Every write
// checks the components against the catalog, changes the rows and appends its event together.
import type { DomainEvent } from '@grocery/platform';
import type { BundleComponentRecord, BundleFields, BundleRecord } from './bundle';

/** The domain's check of the components against the catalog rows found for them. */
export type CheckComponents = (
  components: readonly BundleComponentRecord[],
  found: readonly { sku: string; archived: boolean }[],
) => void;

export interface BundleStore {
  /** The bundles among these ids, archived ones included; ids that are not UUIDs match none. */
  findByIds(ids: readonly string[]): Promise<BundleRecord[]>;
  /** Active bundles in slug order after `afterSlug`, plus how many there are in all. */
  listActive(
    first: number,
    afterSlug: string | null,
  ): Promise<{ rows: BundleRecord[]; totalCount: number; hasNextPage: boolean }>;
  /** CONFLICT when the slug is taken. */
  create(
    id: string,
    fields: BundleFields,
    check: CheckComponents,
    topic: string,
    eventFor: (b: BundleRecord) => DomainEvent,
  ): Promise<BundleRecord>;
  /** NOT_FOUND for an unknown bundle, CONFLICT for an archived one or a taken slug. */
  update(
    id: string,
    patch: Partial<BundleFields>,
    check: CheckComponents,
    topic: string,
    eventFor: (b: BundleRecord) => DomainEvent,
  ): Promise<BundleRecord>;
  archive(id: string, topic: string, eventFor: (b: BundleRecord) => DomainEvent): Promise<BundleRecord>;
}
