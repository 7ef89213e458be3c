// Bakery: bread and Vietnamese cakes, baked daily and sold within days.
import { brand, DIET, line, PLAIN, size, size2, variant } from './build';
import type { Department } from './types';

const bakers = [
  brand('ABC Bakery', 'ABC Bakery'),
  brand('Tous les Jours', 'CJ Foodville', 1.15, 'KR'),
  brand('Paris Baguette', 'SPC Group', 1.15, 'KR'),
  brand('Givral', 'Givral', 1.05),
  brand('Kinh Đô', 'Mondelez Kinh Đô', 0.9),
  brand('Như Lan', 'Như Lan', 0.9),
  brand('Hỷ Lâm Môn', 'Hỷ Lâm Môn', 1.05),
  brand('Hữu Nghị', 'Hữu Nghị Food', 0.85),
];
const flavours = [
  PLAIN,
  variant('Pandan', 'lá dứa'),
  variant('Chocolate', 'sô-cô-la'),
  variant('Coffee', 'cà phê'),
  variant('Matcha', 'trà xanh'),
  variant('Durian', 'sầu riêng', { price: 1.2 }),
  variant('Coconut', 'dừa'),
];
const pieces = [
  size2('1 piece', '1 cái', 15000, 'piece'),
  size2('Box of 4', 'hộp 4 cái', 55000, 'box'),
  size2('Box of 6', 'hộp 6 cái', 80000, 'box'),
];

export const bakery: Department = {
  slug: 'bakery',
  en: 'Bakery',
  vi: 'Bánh mì & Bánh ngọt',
  leaves: [
    {
      slug: 'bread',
      en: 'Bread',
      vi: 'Bánh mì',
      weight: 5,
      storage: 'ambient',
      perishable: true,
      shelfLifeDays: 5,
      lines: [
        line({
          en: '{maker} {variant} Sandwich Bread {size}',
          vi: 'Bánh mì sandwich {variant} {maker} {size}',
          makers: bakers,
          variants: [
            variant('White', 'trắng'),
            variant('Whole Wheat', 'nguyên cám', { price: 1.15 }),
            variant('Milk', 'sữa', { excludes: ['vegan'] }),
            variant('Multigrain', 'ngũ cốc', { price: 1.2 }),
            variant('Butter', 'bơ', { excludes: ['vegan'] }),
            variant('Brown Rice', 'gạo lứt', { price: 1.2 }),
          ],
          sizes: [size('280g', 22000, 'bag'), size('400g', 30000, 'bag'), size('600g', 42000, 'bag')],
          eligible: DIET.baked,
          tags: ['bread'],
        }),
        ...(
          [
            ['Vietnamese Baguettes', 'Bánh mì ổ', 5000],
            ['Burger Buns', 'Bánh mì hamburger', 8000],
            ['Hot Dog Buns', 'Bánh mì hot dog', 7000],
            ['Croissants', 'Bánh sừng bò', 18000],
            ['Brioche', 'Bánh mì hoa cúc', 20000],
            ['Dinner Rolls', 'Bánh mì tròn', 5000],
          ] as const
        ).map(([en, vi, price]) =>
          line({
            en: `{maker} {variant} ${en} {size}`,
            vi: `${vi} {variant} {maker} {size}`,
            makers: bakers,
            variants: [
              PLAIN,
              variant('Whole Wheat', 'nguyên cám', { price: 1.15 }),
              variant('Butter', 'bơ', { price: 1.1 }),
              variant('Cheese', 'phô mai', { price: 1.2 }),
            ],
            sizes: [
              size2('Pack of 2', 'gói 2 cái', price * 2, 'bag'),
              size2('Pack of 4', 'gói 4 cái', price * 4, 'bag'),
              size2('Pack of 6', 'gói 6 cái', price * 6, 'bag'),
            ],
            eligible: DIET.baked,
            tags: ['bread'],
          }),
        ),
        line({
          en: '{maker} Brioche {variant} {size}',
          vi: 'Bánh mì hoa cúc {maker} {variant} {size}',
          makers: [brand('Harrys', 'Harrys', 1.5, 'FR')],
          variants: [PLAIN, variant('Chocolate Chip', 'sô-cô-la chip'), variant('Sliced', 'cắt lát')],
          sizes: [size('500g', 120000, 'bag')],
          eligible: DIET.baked,
          tags: ['bread', 'imported'],
        }),
      ],
    },
    {
      slug: 'cakes',
      en: 'Cakes & pastries',
      vi: 'Bánh ngọt',
      weight: 9,
      storage: 'chilled',
      perishable: true,
      shelfLifeDays: 4,
      lines: (
        [
          ['Swiss Roll', 'Bánh bông lan cuộn', 1.2],
          ['Salted Egg Sponge Cake', 'Bánh bông lan trứng muối', 1.6],
          ['Crème Caramel', 'Bánh flan', 0.6],
          ['Steamed Rice Cake', 'Bánh bò', 0.5],
          ['Layered Pandan Cake', 'Bánh da lợn', 0.6],
          ['Tiramisu', 'Bánh tiramisu', 2.2],
          ['Cream Puffs', 'Bánh su kem', 0.8],
          ['Baked Banana Cake', 'Bánh chuối nướng', 1],
          ['Cheesecake', 'Bánh phô mai', 2],
          ['Mung Bean Cake', 'Bánh đậu xanh nướng', 0.9],
        ] as const
      ).map(([en, vi, factor]) =>
        line({
          en: `{maker} {variant} ${en} {size}`,
          vi: `${vi} {variant} {maker} {size}`,
          makers: bakers,
          variants: flavours,
          sizes: pieces.map((s) => ({ ...s, price: s.price * factor })),
          eligible: DIET.baked,
          tags: ['cakes'],
        }),
      ),
    },
  ],
};
