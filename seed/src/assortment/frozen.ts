// Frozen: spring rolls and dumplings, frozen meat and seafood, ice cream. Long shelf life, so
// not counted as perishable, but kept at -18°C.
import { brand, DIET, line, MEATY, pack, PLAIN, PORKY, size, size2, variant, VEGETARIAN } from './build';
import type { Department } from './types';

const boxes6 = pack(6, 'Box of 6', 'hộp 6 cây');
const bags2 = pack(2, 'Pack of 2', 'combo 2 gói');

const frozenMakers = [
  brand('Cầu Tre', 'Cầu Tre'),
  brand('CP', 'C.P. Việt Nam'),
  brand('Vissan', 'Vissan'),
  brand('Sài Gòn Food', 'Sài Gòn Food'),
  brand('Bibigo', 'CJ Foods Việt Nam', 1.2),
  brand('Ông Già Ika', 'Ông Già Ika', 0.9),
  brand('Le Gourmet', 'Vissan', 1.2),
];

export const frozen: Department = {
  slug: 'frozen',
  en: 'Frozen',
  vi: 'Đông lạnh',
  leaves: [
    {
      slug: 'dumplings-spring-rolls',
      en: 'Spring rolls & dumplings',
      vi: 'Chả giò & Há cảo',
      weight: 16,
      storage: 'frozen',
      perishable: false,
      lines: (
        [
          ['Spring Rolls', 'Chả giò', 60000],
          ['Har Gow Dumplings', 'Há cảo', 70000],
          ['Wontons', 'Hoành thánh', 60000],
          ['Gyoza', 'Gyoza', 75000],
          ['Steamed Buns', 'Bánh bao', 55000],
          ['Siu Mai', 'Xíu mại', 65000],
        ] as const
      ).map(([en, vi, price]) =>
        line({
          en: `{maker} {variant} ${en} {size}`,
          vi: `${vi} {variant} {maker} {size}`,
          makers: frozenMakers,
          variants: [
            variant('Pork', 'thịt heo', { excludes: PORKY }),
            variant('Shrimp', 'tôm', { excludes: MEATY, price: 1.2 }),
            variant('Seafood', 'hải sản', { excludes: MEATY, price: 1.2 }),
            variant('Chicken', 'gà', { excludes: MEATY }),
            variant('Taro & Pork', 'khoai môn', { excludes: PORKY }),
            VEGETARIAN,
          ],
          sizes: [
            size('300g', price * 0.6, 'bag'),
            size('500g', price, 'bag', [bags2]),
            size('1kg', price * 1.9, 'bag'),
          ],
          eligible: DIET.baked,
          tags: ['frozen', 'dumplings'],
        }),
      ),
    },
    {
      slug: 'frozen-meat-seafood',
      en: 'Frozen meat, seafood & fries',
      vi: 'Thịt, hải sản đông lạnh & khoai tây chiên',
      weight: 14,
      storage: 'frozen',
      perishable: false,
      lines: [
        ...(
          [
            ['Fish Balls', 'Cá viên', 50000, DIET.seafood],
            ['Beef Balls', 'Bò viên', 70000, DIET.halalMeat],
            ['Chicken Nuggets', 'Gà viên chiên', 65000, ['halal']],
            ['Breaded Shrimp', 'Tôm tẩm bột', 90000, ['halal']],
            ['Frozen Whiteleg Shrimp', 'Tôm thẻ đông lạnh', 110000, DIET.seafood],
            ['Frozen Basa Fillets', 'Cá basa phi lê đông lạnh', 45000, DIET.seafood],
            ['Chicken Karaage', 'Gà chiên karaage', 80000, ['halal']],
            ['Fish Tofu', 'Đậu hũ cá', 55000, DIET.seafood],
          ] as const
        ).map(([en, vi, price, eligible]) =>
          line({
            en: `{maker} ${en} {variant} {size}`,
            vi: `${vi} {maker} {variant} {size}`,
            makers: [...frozenMakers, brand('Minh Phú', 'Minh Phú Seafood'), brand('Vĩnh Hoàn', 'Vĩnh Hoàn')],
            variants: [PLAIN, variant('Spicy', 'cay'), variant('Premium', 'thượng hạng', { price: 1.3 })],
            sizes: [size('250g', price * 0.55, 'bag'), size('500g', price, 'bag'), size('1kg', price * 1.9, 'bag')],
            eligible: [...eligible],
            tags: ['frozen'],
          }),
        ),
        line({
          en: '{maker} {variant} French Fries {size}',
          vi: 'Khoai tây chiên {variant} {maker} {size}',
          makers: [
            brand('McCain', 'McCain Foods', 1.2, 'CA'),
            brand('Lamb Weston', 'Lamb Weston', 1.2, 'US'),
            brand('Aviko', 'Aviko', 1.1, 'NL'),
            brand('Simplot', 'J.R. Simplot', 1.1, 'US'),
          ],
          variants: [
            variant('Straight Cut', 'cắt thẳng'),
            variant('Crinkle Cut', 'cắt gợn sóng'),
            variant('Shoestring', 'sợi nhỏ'),
            variant('Wedges', 'cắt múi cau'),
          ],
          sizes: [size('500g', 50000, 'bag'), size('1kg', 90000, 'bag'), size('2.5kg', 200000, 'bag')],
          eligible: DIET.plant,
          tags: ['frozen', 'fries'],
        }),
      ],
    },
    {
      slug: 'ice-cream',
      en: 'Ice cream',
      vi: 'Kem',
      weight: 10,
      storage: 'frozen',
      perishable: false,
      lines: [
        line({
          en: '{maker} Ice Cream {variant} {size}',
          vi: 'Kem {maker} {variant} {size}',
          makers: [
            brand('Merino', 'Kido Foods'),
            brand('Celano', 'Kido Foods', 1.1),
            brand('Wall’s', 'Unilever Việt Nam'),
            brand('Vinamilk', 'Vinamilk', 0.95),
            brand('TH true ICE CREAM', 'TH Group', 1.05),
            brand('Tràng Tiền', 'Kem Tràng Tiền', 1),
            brand('Häagen-Dazs', 'General Mills', 3, 'US'),
            brand('Magnum', 'Unilever Việt Nam', 1.6),
          ],
          variants: [
            variant('Vanilla', 'vani'),
            variant('Chocolate', 'sô-cô-la'),
            variant('Strawberry', 'dâu'),
            variant('Durian', 'sầu riêng'),
            variant('Coconut', 'dừa'),
            variant('Matcha', 'trà xanh'),
            variant('Taro', 'khoai môn'),
            variant('Coffee', 'cà phê'),
            variant('Mango', 'xoài'),
          ],
          sizes: [
            size2('Cone 60g', 'ốc quế 60g', 12000, 'piece', [boxes6]),
            size2('Stick 50g', 'que 50g', 8000, 'piece', [boxes6]),
            size2('Tub 450ml', 'hộp 450ml', 55000, 'box'),
            size2('Tub 1L', 'hộp 1L', 95000, 'box'),
          ],
          eligible: DIET.dairy,
          tags: ['ice-cream'],
        }),
      ],
    },
  ],
};
