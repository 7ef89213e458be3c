// A lot: units of a perishable SKU received together at a location, with one expiry. Picking,
// removals and write-offs take units from lots first-expiry-first-out (FEFO) and then from
// untracked units (non-perishables, or stock from before lots); lots never hold more than on-hand.
export interface LotRecord {
  id: string;
  sku: string;
  locationId: string;
  /** Units left. */
  quantity: number;
  expiresAt: Date;
  receivedAt: Date;
}
