import { AppError } from '@grocery/platform';
import {
  bundleSavings,
  checkComponentsSellable,
  regularTotal,
  validateBundlePatch,
  validateNewBundle,
  type BundleInput,
} from './bundle';

const valid: BundleInput = {
  slug: 'pho-bo-kit-2',
  nameEn: 'Beef Phở Kit',
  nameVi: 'Bộ nấu phở bò',
  price: { amount: 99000, currency: 'vnd' },
  components: [
    { sku: 'SKU-1', quantity: 1 },
    { sku: 'SKU-2', quantity: 2 },
  ],
};

function fieldOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).extensions.code).toBe('BAD_USER_INPUT');
    return (err as AppError).extensions.field as string | undefined;
  }
  throw new Error('expected a BAD_USER_INPUT');
}

describe('bundle rules', () => {
  it('accepts a valid bundle, trimming text and normalising the currency', () => {
    const b = validateNewBundle({ ...valid, nameEn: '  Beef Phở Kit ' });
    expect(b).toMatchObject({ nameEn: 'Beef Phở Kit', priceCurrency: 'VND', descriptionEn: null, imageUrls: [] });
  });

  it.each([
    ['one component', { components: [{ sku: 'SKU-1', quantity: 1 }] }, 'components'],
    [
      '21 components',
      { components: Array.from({ length: 21 }, (_, i) => ({ sku: `S${i}`, quantity: 1 })) },
      'components',
    ],
    [
      'a SKU twice',
      {
        components: [
          { sku: 'A', quantity: 1 },
          { sku: 'A', quantity: 1 },
        ],
      },
      'components[1].sku',
    ],
    [
      'quantity 0',
      {
        components: [
          { sku: 'A', quantity: 0 },
          { sku: 'B', quantity: 1 },
        ],
      },
      'components[0].quantity',
    ],
    [
      'quantity 100',
      {
        components: [
          { sku: 'A', quantity: 1 },
          { sku: 'B', quantity: 100 },
        ],
      },
      'components[1].quantity',
    ],
    ['a fractional price', { price: { amount: 1.5, currency: 'VND' } }, 'price.amount'],
    ['a price above the maximum', { price: { amount: 1_000_000_001, currency: 'VND' } }, 'price.amount'],
    ['another currency', { price: { amount: 1, currency: 'USD' } }, 'price.currency'],
    ['an empty name', { nameVi: '  ' }, 'nameVi'],
    ['a 201-character name', { nameEn: 'x'.repeat(201) }, 'nameEn'],
    ['an upper-case slug', { slug: 'Pho-Kit' }, 'slug'],
    ['a slug with a double hyphen', { slug: 'pho--kit' }, 'slug'],
    ['a javascript: image', { imageUrls: ['javascript:alert(1)'] }, 'imageUrls[0]'],
    ['no components', { components: null }, 'components'],
  ])('refuses %s, naming the field', (_, change, field) => {
    expect(fieldOf(() => validateNewBundle({ ...valid, ...change }))).toBe(field);
  });

  it('validates only the fields an update gives, and refuses an empty update', () => {
    expect(validateBundlePatch({ price: { amount: 5000, currency: 'VND' } })).toEqual({
      priceAmount: 5000,
      priceCurrency: 'VND',
    });
    expect(fieldOf(() => validateBundlePatch({}))).toBeUndefined();
    expect(fieldOf(() => validateBundlePatch({ slug: 'Bad Slug' }))).toBe('slug');
  });

  it('refuses unknown and archived components by position', () => {
    const components = [
      { sku: 'A', quantity: 1 },
      { sku: 'B', quantity: 1 },
    ];
    expect(() =>
      checkComponentsSellable(components, [
        { sku: 'A', archived: false },
        { sku: 'B', archived: false },
      ]),
    ).not.toThrow();
    expect(fieldOf(() => checkComponentsSellable(components, [{ sku: 'A', archived: false }]))).toBe(
      'components[1].sku',
    );
    expect(
      fieldOf(() =>
        checkComponentsSellable(components, [
          { sku: 'A', archived: true },
          { sku: 'B', archived: false },
        ]),
      ),
    ).toBe('components[0].sku');
  });

  it('adds up the regular total and never reports negative savings', () => {
    const prices: Record<string, number> = { A: 10000, B: 2500 };
    const total = regularTotal(
      [
        { sku: 'A', quantity: 2 },
        { sku: 'B', quantity: 3 },
      ],
      (sku) => prices[sku],
    );
    expect(total).toBe(27500);
    expect(bundleSavings(25000, total)).toBe(2500);
    expect(bundleSavings(30000, total)).toBe(0);
  });
});
