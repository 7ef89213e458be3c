import { generateCatalog } from './catalog';

describe('seeded bundles', () => {
  const full = generateCatalog({ skus: 5_000 });
  const bySku = new Map(full.products.map((p) => [p.sku, p]));

  it('makes 30-60 meal kits and boxes from a full catalog, each a valid bundle priced below its components', () => {
    expect(full.bundles.length).toBeGreaterThanOrEqual(30);
    expect(full.bundles.length).toBeLessThanOrEqual(60);
    expect(new Set(full.bundles.map((b) => b.slug)).size).toBe(full.bundles.length);
    expect(new Set(full.bundles.map((b) => b.id)).size).toBe(full.bundles.length);
    for (const b of full.bundles) {
      expect(b.slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(b.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(b.items.length).toBeGreaterThanOrEqual(2);
      expect(b.items.length).toBeLessThanOrEqual(20);
      expect(new Set(b.items.map((i) => i.sku)).size).toBe(b.items.length);
      for (const i of b.items) {
        expect(bySku.has(i.sku)).toBe(true);
        expect(i.quantity).toBeGreaterThanOrEqual(1);
        expect(i.quantity).toBeLessThanOrEqual(99);
      }
      const total = b.items.reduce((sum, i) => sum + bySku.get(i.sku)!.priceAmount * i.quantity, 0);
      expect(b.priceAmount).toBeGreaterThan(0);
      expect(b.priceAmount).toBeLessThan(total);
      expect(b.priceAmount % 1000).toBe(0);
    }
  });

  it('builds kits from ingredients that belong in them', () => {
    const pho = full.bundles.find((b) => b.slug === 'beef-pho-kit-2')!;
    const names = pho.items.map((i) => bySku.get(i.sku)!);
    expect(names.some((p) => p.categoryId === 'cat-meat-beef')).toBe(true);
    expect(names.some((p) => /pho/i.test(p.nameEn))).toBe(true);
    expect(pho.nameVi).toBe('Bộ nấu phở bò cho 2 người');
    const forFour = full.bundles.find((b) => b.slug === 'beef-pho-kit-4')!;
    expect(forFour.items.reduce((n, i) => n + i.quantity, 0)).toBe(2 * pho.items.reduce((n, i) => n + i.quantity, 0));
  });

  it('is the same for the same catalog and seed, and makes fewer kits from a small catalog', () => {
    expect(JSON.stringify(generateCatalog({ skus: 300 }).bundles)).toBe(
      JSON.stringify(generateCatalog({ skus: 300 }).bundles),
    );
    const small = generateCatalog({ skus: 50 }).bundles.length;
    expect(small).toBeGreaterThan(0);
    expect(small).toBeLessThan(full.bundles.length);
  });
});
