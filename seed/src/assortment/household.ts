// Household: laundry, dishwashing, home cleaning, tissues and paper.
import { brand, line, pack, size, size2, variant } from './build';
import type { Department } from './types';

const bottles2 = pack(2, 'Pack of 2', 'combo 2 chai');
const bags2 = pack(2, 'Pack of 2', 'combo 2 túi');
const scents = [
  variant('Lavender', 'oải hương'),
  variant('Lily', 'hoa ly'),
  variant('Lemongrass', 'sả chanh'),
  variant('Ocean', 'hương biển'),
  variant('Lemon', 'chanh'),
  variant('Green Tea', 'trà xanh'),
];
const unilever = 'Unilever Việt Nam';
const pg = 'P&G Việt Nam';

export const household: Department = {
  slug: 'household',
  en: 'Household',
  vi: 'Đồ gia dụng',
  leaves: [
    {
      slug: 'laundry',
      en: 'Laundry',
      vi: 'Giặt giũ',
      weight: 13,
      storage: 'non_food',
      perishable: false,
      lines: [
        line({
          en: '{maker} Laundry Powder {variant} {size}',
          vi: 'Bột giặt {maker} {variant} {size}',
          makers: [
            brand('OMO', unilever, 1.1),
            brand('Surf', unilever, 0.85),
            brand('Ariel', pg, 1.15),
            brand('Tide', pg, 1),
            brand('Aba', 'Đại Việt Hương', 0.9),
            brand('Lix', 'Bột giặt Lix', 0.8),
            brand('Viso', unilever, 0.8),
          ],
          variants: [
            variant('Front Load', 'Matic cửa trước', { price: 1.2 }),
            variant('Top Load', 'Matic cửa trên', { price: 1.15 }),
            variant('Stain Removal', 'tẩy sạch vết bẩn'),
            variant('Comfort Fragrance', 'hương Comfort'),
            ...scents.slice(0, 3),
          ],
          sizes: [
            size('400g', 22000, 'bag'),
            size('800g', 42000, 'bag'),
            size('3kg', 150000, 'bag', [bags2]),
            size('6kg', 280000, 'bag'),
          ],
          eligible: [],
          tags: ['laundry', 'detergent'],
        }),
        line({
          en: '{maker} Liquid Detergent {variant} {size}',
          vi: 'Nước giặt {maker} {variant} {size}',
          makers: [
            brand('OMO', unilever, 1.1),
            brand('Ariel', pg, 1.15),
            brand('Tide', pg, 1),
            brand('Aba', 'Đại Việt Hương', 0.9),
            brand('Lix', 'Bột giặt Lix', 0.8),
            brand('Attack', 'Kao', 1.2, 'JP'),
            brand('Dnee', 'Dnee', 1.3, 'TH'),
          ],
          variants: [
            variant('Front Load', 'Matic cửa trước', { price: 1.2 }),
            variant('Top Load', 'Matic cửa trên', { price: 1.15 }),
            variant('Sensitive Skin', 'cho da nhạy cảm', { price: 1.1 }),
            variant('Baby', 'cho bé', { price: 1.2 }),
            ...scents.slice(0, 4),
          ],
          sizes: [
            size('800g', 45000, 'bottle'),
            size('2.2kg', 110000, 'bottle', [bottles2]),
            size2('3.6kg refill bag', 'túi 3,6kg', 165000, 'bag'),
          ],
          eligible: [],
          tags: ['laundry', 'detergent'],
        }),
        line({
          en: '{maker} Fabric Softener {variant} {size}',
          vi: 'Nước xả vải {maker} {variant} {size}',
          makers: [
            brand('Comfort', unilever),
            brand('Downy', pg, 1.1),
            brand('Hygiene', 'Hygiene', 0.95, 'TH'),
            brand('Lix', 'Bột giặt Lix', 0.8),
          ],
          variants: [
            variant('Single Rinse', 'một lần xả'),
            variant('Floral', 'hương hoa'),
            variant('Passion', 'đam mê'),
            variant('Sunrise Fresh', 'nắng mai'),
            ...scents.slice(0, 2),
          ],
          sizes: [
            size('800ml', 45000, 'bottle'),
            size('1.6L', 85000, 'bottle', [bottles2]),
            size2('3.2L refill bag', 'túi 3,2L', 160000, 'bag'),
          ],
          eligible: [],
          tags: ['laundry', 'fabric-softener'],
        }),
      ],
    },
    {
      slug: 'dishwashing',
      en: 'Dishwashing',
      vi: 'Nước rửa chén',
      weight: 5,
      storage: 'non_food',
      perishable: false,
      lines: [
        line({
          en: '{maker} Dishwashing Liquid {variant} {size}',
          vi: 'Nước rửa chén {maker} {variant} {size}',
          makers: [
            brand('Sunlight', unilever),
            brand('Mỹ Hảo', 'Mỹ Hảo', 0.8),
            brand('Lix', 'Bột giặt Lix', 0.8),
            brand('Joy', pg, 1.1),
            brand('Gift', 'Đại Việt Hương', 0.85),
            brand('Net', 'Net', 0.8),
          ],
          variants: [
            variant('Lemon', 'chanh'),
            variant('Green Tea', 'trà xanh'),
            variant('Aloe Vera', 'lô hội'),
            variant('Extra Strength', 'siêu sạch'),
            variant('Lime & Mint', 'chanh bạc hà'),
            variant('Plant-based', 'thiên nhiên', { price: 1.3 }),
          ],
          sizes: [
            size('400g', 18000, 'bottle'),
            size('750g', 30000, 'bottle', [bottles2]),
            size('1.5kg', 55000, 'bottle'),
            size('3.6kg', 120000, 'bottle'),
          ],
          eligible: [],
          tags: ['dishwashing'],
        }),
        line({
          en: '{maker} Dishwasher Tablets {variant} {size}',
          vi: 'Viên rửa chén {maker} {variant} {size}',
          makers: [
            brand('Finish', 'Reckitt', 1, 'GB'),
            brand('Somat', 'Henkel', 0.95, 'DE'),
            brand('Sunlight', unilever, 0.9),
          ],
          variants: [
            variant('All in One', 'All in One'),
            variant('Quantum', 'Quantum', { price: 1.3 }),
            variant('Lemon', 'chanh'),
          ],
          sizes: [size2('Box of 30', 'hộp 30 viên', 220000, 'box'), size2('Box of 60', 'hộp 60 viên', 400000, 'box')],
          eligible: [],
          tags: ['dishwashing', 'dishwasher'],
        }),
      ],
    },
    {
      slug: 'cleaning',
      en: 'Home cleaning',
      vi: 'Vệ sinh nhà cửa',
      weight: 15,
      storage: 'non_food',
      perishable: false,
      lines: (
        [
          ['Floor Cleaner', 'Nước lau sàn', 35000],
          ['Toilet Cleaner', 'Nước tẩy bồn cầu', 30000],
          ['Glass Cleaner', 'Nước lau kính', 25000],
          ['Multi-surface Spray', 'Xịt tẩy rửa đa năng', 45000],
          ['Bathroom Cleaner', 'Nước tẩy nhà tắm', 40000],
        ] as const
      ).map(([en, vi, price]) =>
        line({
          en: `{maker} ${en} {variant} {size}`,
          vi: `${vi} {maker} {variant} {size}`,
          makers: [
            brand('Sunlight', unilever),
            brand('Vim', unilever),
            brand('Gift', 'Đại Việt Hương', 0.85),
            brand('Lix', 'Bột giặt Lix', 0.8),
            brand('Mr Muscle', 'SC Johnson', 1.3, 'US'),
            brand('Duck', 'SC Johnson', 1.2, 'US'),
            brand('Cif', unilever, 1.1),
          ],
          variants: [...scents, variant('Antibacterial', 'kháng khuẩn', { price: 1.1 })],
          sizes: [size('500ml', price, 'bottle'), size('1L', price * 1.8, 'bottle', [bottles2])],
          eligible: [],
          tags: ['cleaning'],
        }),
      ),
    },
    {
      slug: 'paper',
      en: 'Tissues & paper',
      vi: 'Giấy vệ sinh & Khăn giấy',
      weight: 6,
      storage: 'non_food',
      perishable: false,
      lines: [
        line({
          en: '{maker} Toilet Paper {variant} {size}',
          vi: 'Giấy vệ sinh {maker} {variant} {size}',
          makers: [
            brand('Pulppy', 'Pulppy'),
            brand('Bless You', 'Saigon Paper'),
            brand('Watersilk', 'Watersilk', 0.9),
            brand('An Khang', 'An Khang', 0.8),
            brand('Kleenex', 'Kimberly-Clark', 1.3, 'US'),
            brand('Sài Gòn', 'Saigon Paper', 0.85),
          ],
          variants: [
            variant('2-ply', '2 lớp'),
            variant('3-ply', '3 lớp', { price: 1.2 }),
            variant('4-ply', '4 lớp', { price: 1.35 }),
            variant('Unscented', 'không mùi'),
          ],
          sizes: [
            size2('Pack of 6 rolls', 'lốc 6 cuộn', 45000, 'pack'),
            size2('Pack of 10 rolls', 'lốc 10 cuộn', 70000, 'pack'),
            size2('Pack of 12 rolls', 'lốc 12 cuộn', 85000, 'pack'),
          ],
          eligible: [],
          tags: ['paper', 'toilet-paper'],
        }),
        line({
          en: '{maker} {variant} {size}',
          vi: '{variant} {maker} {size}',
          makers: [
            brand('Pulppy', 'Pulppy'),
            brand('Bless You', 'Saigon Paper'),
            brand('Kleenex', 'Kimberly-Clark', 1.3, 'US'),
            brand('Watersilk', 'Watersilk', 0.9),
            brand('Mamamy', 'Mamamy', 0.9),
          ],
          variants: [
            variant('Facial Tissues', 'Khăn giấy rút'),
            variant('Pocket Tissues', 'Khăn giấy bỏ túi'),
            variant('Kitchen Towels', 'Khăn giấy lau bếp', { price: 1.2 }),
            variant('Wet Wipes', 'Khăn ướt', { price: 1.1 }),
            variant('Napkins', 'Khăn giấy ăn'),
          ],
          sizes: [
            size2('1 pack', '1 gói', 15000, 'pack'),
            size2('Pack of 3', 'lốc 3 gói', 42000, 'pack'),
            size2('Pack of 5', 'lốc 5 gói', 68000, 'pack'),
          ],
          eligible: [],
          tags: ['paper', 'tissues'],
        }),
        line({
          en: '{maker} Bin Bags {variant} {size}',
          vi: 'Túi đựng rác {maker} {variant} {size}',
          makers: [
            brand('Inochi', 'Inochi'),
            brand('An Lành', 'An Lành', 0.9),
            brand('Glad', 'Clorox', 1.4, 'US'),
            brand('Bách Hóa', 'Tiến Phát', 0.8),
          ],
          variants: [
            variant('Black', 'đen'),
            variant('Biodegradable', 'tự hủy sinh học', { price: 1.3 }),
            variant('Drawstring', 'dây rút', { price: 1.2 }),
            variant('Scented', 'có mùi thơm', { price: 1.1 }),
          ],
          sizes: [
            size2('Small, 3 rolls', 'size nhỏ 3 cuộn', 25000, 'pack'),
            size2('Medium, 3 rolls', 'size trung 3 cuộn', 30000, 'pack'),
            size2('Large, 3 rolls', 'size lớn 3 cuộn', 38000, 'pack'),
          ],
          eligible: [],
          tags: ['bin-bags'],
        }),
      ],
    },
  ],
};
