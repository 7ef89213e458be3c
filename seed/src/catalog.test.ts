import { catalogCapacity, DEFAULT_REFERENCE_DATE, generateCatalog } from './catalog';
import type { SeedProduct } from './model';

const share = (products: SeedProduct[], test: (p: SeedProduct) => boolean) =>
  products.filter(test).length / products.length;

describe('generateCatalog', () => {
  const fiveThousand = generateCatalog({ skus: 5_000 });
  const products = fiveThousand.products;

  it('gives byte-identical output for the same skus and seed', () => {
    const a = JSON.stringify(generateCatalog({ skus: 2_000, seed: 7 }));
    const b = JSON.stringify(generateCatalog({ skus: 2_000, seed: 7 }));
    expect(a).toBe(b);
  });

  it('gives a different catalog for a different seed', () => {
    const a = generateCatalog({ skus: 2_000, seed: 1 }).products;
    const b = generateCatalog({ skus: 2_000, seed: 2 }).products;
    expect(a.map((p) => p.nameEn)).not.toEqual(b.map((p) => p.nameEn));
  });

  it('keeps perishables near 20% and vegan and gluten-free near 10% of 5,000 SKUs', () => {
    expect(products).toHaveLength(5_000);
    expect(share(products, (p) => p.isPerishable)).toBeGreaterThanOrEqual(0.15);
    expect(share(products, (p) => p.isPerishable)).toBeLessThanOrEqual(0.25);
    for (const label of ['vegan', 'gluten_free'] as const) {
      expect(share(products, (p) => p.dietary.includes(label))).toBeGreaterThanOrEqual(0.07);
      expect(share(products, (p) => p.dietary.includes(label))).toBeLessThanOrEqual(0.13);
    }
  });

  it('never labels meat, seafood, dairy or eggs vegan, and every vegan product is vegetarian', () => {
    const animal = products.filter((p) =>
      /^cat-(meat|seafood)-|^cat-dairy-(fresh-milk|yogurt|cheese|eggs)/.test(p.categoryId),
    );
    expect(animal.length).toBeGreaterThan(500);
    expect(animal.filter((p) => p.dietary.includes('vegan'))).toEqual([]);
    expect(
      products.filter((p) => /^cat-(meat|seafood)-/.test(p.categoryId) && p.dietary.includes('vegetarian')),
    ).toEqual([]);
    expect(products.filter((p) => p.categoryId === 'cat-meat-pork' && p.dietary.includes('halal'))).toEqual([]);
    expect(products.filter((p) => p.dietary.includes('vegan') && !p.dietary.includes('vegetarian'))).toEqual([]);
  });

  it('writes Vietnamese names with their diacritics, in NFC', () => {
    const category = (id: string) => fiveThousand.categories.find((c) => c.id === id);
    expect(category('cat-dairy')).toMatchObject({ nameEn: 'Dairy & Eggs', nameVi: 'Sữa & Trứng', parentId: null });
    expect(category('cat-dairy-fresh-milk')).toMatchObject({ nameVi: 'Sữa tươi', parentId: 'cat-dairy' });
    expect(category('cat-condiments-fish-sauce')?.nameVi).toBe('Nước mắm');
    const accented = /[àáảãạăắằẳẵặâấầẩẫậèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵđ]/i;
    expect(share(products, (p) => accented.test(p.nameVi))).toBeGreaterThan(0.9);
    expect(
      products.filter(
        (p) => p.nameVi !== p.nameVi.normalize('NFC') || p.descriptionVi !== p.descriptionVi.normalize('NFC'),
      ),
    ).toEqual([]);
    expect(products.some((p) => p.nameVi.startsWith('Sữa tươi Vinamilk'))).toBe(true);
  });

  it('gives every product a unique SKU, a leaf category and a positive price in whole 500 VND', () => {
    const leaves = new Set(fiveThousand.categories.filter((c) => c.parentId !== null).map((c) => c.id));
    expect(new Set(products.map((p) => p.sku)).size).toBe(products.length);
    expect(products[0].sku).toBe('SKU-000001');
    for (const p of products) {
      expect(leaves.has(p.categoryId)).toBe(true);
      expect(Number.isInteger(p.priceAmount) && p.priceAmount > 0 && p.priceAmount % 500 === 0).toBe(true);
      expect(p.priceCurrency).toBe('VND');
      expect(p.imageUrls[0]).toBe(`/images/${p.sku}.jpg`);
    }
  });

  it('prices everyday items like a Vietnamese supermarket', () => {
    const litreOfMilk = products.filter((p) => /^Vinamilk Fresh Milk .* 1L$/.test(p.nameEn));
    expect(litreOfMilk.length).toBeGreaterThan(0);
    for (const p of litreOfMilk) expect(p.priceAmount).toBeLessThanOrEqual(60_000);
  });

  it('dates perishables from the reference date and leaves shelf-stable goods undated', () => {
    for (const p of products) {
      if (p.isPerishable) {
        expect(p.shelfLifeDays).toBeGreaterThan(0);
        const days = ((p.expiresAt?.getTime() ?? 0) - DEFAULT_REFERENCE_DATE.getTime()) / 86_400_000;
        expect(days).toBeGreaterThanOrEqual(1);
        expect(days).toBeLessThanOrEqual(p.shelfLifeDays ?? 0);
      } else {
        expect(p.shelfLifeDays).toBeNull();
        expect(p.expiresAt).toBeNull();
      }
      expect(p.createdAt.getTime()).toBeLessThan(DEFAULT_REFERENCE_DATE.getTime());
    }
  });

  it('has stores, a warehouse and a pickup point in each city', () => {
    const ids = fiveThousand.locations.map((l) => l.id);
    expect(ids).toEqual(
      expect.arrayContaining(['hcm-store-q1', 'hcm-warehouse-thu-duc', 'hn-store-hoan-kiem', 'hn-warehouse-long-bien']),
    );
    for (const city of ['Ho Chi Minh City', 'Hanoi']) {
      const here = fiveThousand.locations.filter((l) => l.city === city);
      expect(here.filter((l) => l.kind === 'PICKUP_POINT')).toHaveLength(1);
      expect(here.filter((l) => l.kind === 'WAREHOUSE')).toHaveLength(1);
      expect(here.filter((l) => l.kind === 'STORE').length).toBeGreaterThanOrEqual(2);
    }
  });

  it('stocks every product in a warehouse, with some empty shelves and deeper warehouses', () => {
    const kind = new Map(fiveThousand.locations.map((l) => [l.id, l.kind]));
    const levels = fiveThousand.stockLevels;
    const inWarehouse = new Set(levels.filter((s) => kind.get(s.locationId) === 'WAREHOUSE').map((s) => s.sku));
    expect(inWarehouse.size).toBe(products.length);
    const mean = (k: string) => {
      const at = levels.filter((s) => kind.get(s.locationId) === k);
      return at.reduce((n, s) => n + s.onHand, 0) / at.length;
    };
    expect(mean('WAREHOUSE')).toBeGreaterThan(5 * mean('STORE'));
    expect(levels.some((s) => s.onHand === 0)).toBe(true);
    expect(new Set(levels.map((s) => `${s.sku}@${s.locationId}`)).size).toBe(levels.length);
  });

  it('reaches 50,000 distinct products without numbered duplicates', () => {
    expect(catalogCapacity()).toBeGreaterThanOrEqual(50_000);
    const big = generateCatalog({ skus: 50_000 }).products;
    expect(new Set(big.map((p) => p.nameEn)).size).toBe(50_000);
    expect(new Set(big.map((p) => p.nameVi)).size).toBe(50_000);
    expect(big.filter((p) => /#\d|\(\d+\)$/.test(p.nameEn))).toEqual([]);
    expect(share(big, (p) => p.isPerishable)).toBeGreaterThanOrEqual(0.15);
  });

  it('refuses more SKUs than the assortment can name', () => {
    expect(() => generateCatalog({ skus: catalogCapacity() + 1 })).toThrow(RangeError);
  });
});
