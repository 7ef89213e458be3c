// Splits a SKU count across leaf categories by weight, never giving a leaf more SKUs than it has
// distinct products; what a full leaf cannot take goes to the others, again by weight.

export interface Bucket {
  weight: number;
  capacity: number;
}

export function allocate(total: number, buckets: readonly Bucket[]): number[] {
  const capacity = buckets.reduce((sum, b) => sum + b.capacity, 0);
  if (total > capacity) throw new RangeError(`asked for ${total} SKUs but the assortment has only ${capacity}`);
  const quotas = buckets.map(() => 0);
  let open = buckets.map((_, i) => i).filter((i) => buckets[i].capacity > 0 && buckets[i].weight > 0);
  let remaining = total;
  for (;;) {
    const weight = open.reduce((sum, i) => sum + buckets[i].weight, 0);
    const full = open.filter((i) => (remaining * buckets[i].weight) / weight >= buckets[i].capacity);
    if (full.length === 0) break;
    for (const i of full) {
      quotas[i] = buckets[i].capacity;
      remaining -= buckets[i].capacity;
    }
    open = open.filter((i) => !full.includes(i));
  }
  if (open.length === 0) return quotas;
  // Largest remainder, ties to the earlier bucket, so the split is exact and deterministic.
  const weight = open.reduce((sum, i) => sum + buckets[i].weight, 0);
  const exact = open.map((i) => (remaining * buckets[i].weight) / weight);
  const floors = exact.map(Math.floor);
  let left = remaining - floors.reduce((a, b) => a + b, 0);
  const order = open.map((_, k) => k).sort((a, b) => exact[b] - floors[b] - (exact[a] - floors[a]) || a - b);
  for (const k of order) {
    if (left === 0) break;
    floors[k] += 1;
    left -= 1;
  }
  open.forEach((i, k) => (quotas[i] = floors[k]));
  return quotas;
}
