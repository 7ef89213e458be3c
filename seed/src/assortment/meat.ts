// Meat: pork, beef, poultry by cut and brand, and chilled Vietnamese cold cuts.
import { brand, DIET, imported, line, ORGANIC, PLAIN, PORKY, size, size2, variant, weighed } from './build';
import type { Dietary } from '../model';
import type { Department, Maker, ProductLine, Variant } from './types';

/** One cut: "MEATDeli Herb-fed Pork Belly 500g" / "Ba rọi heo thảo mộc MEATDeli 500g". */
function cut(
  en: string,
  vi: string,
  pricePer500g: number,
  makers: Maker[],
  kinds: Variant[],
  eligible: Dietary[],
  tags: string[],
  weights = ['300g', '500g', '1kg', '2kg'],
): ProductLine {
  return line({
    en: `{maker} {variant} ${en} {size}`,
    vi: `${vi} {variant} {maker} {size}`,
    makers,
    variants: kinds,
    sizes: weighed(pricePer500g, weights).map((s) => (s.unit === 'bag' ? { ...s, unit: 'pack' } : s)),
    eligible,
    tags,
  });
}

const pigFarms = [
  brand('MEATDeli', 'Masan MEATLife'),
  brand('CP', 'C.P. Việt Nam', 0.95),
  brand('Vissan', 'Vissan'),
  brand('Dabaco', 'Dabaco', 0.95),
  brand('Mavin', 'Mavin Group', 0.95),
  brand('Sagri', 'Sagri', 0.95),
];
const pigKinds = [
  PLAIN,
  variant('Herb-fed', 'heo thảo mộc', { price: 1.15 }),
  variant('Black Pig', 'heo đen', { price: 1.4 }),
  { ...ORGANIC, priceFactor: 1.5 },
];
const porkCuts: [string, string, number][] = [
  ['Pork Belly', 'Ba rọi heo', 75000],
  ['Pork Shoulder', 'Nạc vai heo', 65000],
  ['Pork Collar', 'Nạc dăm heo', 72000],
  ['Pork Loin Chops', 'Cốt lết heo', 62000],
  ['Pork Spare Ribs', 'Sườn non heo', 95000],
  ['Pork Back Ribs', 'Sườn già heo', 60000],
  ['Minced Pork', 'Thịt heo xay', 58000],
  ['Pork Tenderloin', 'Thăn heo', 70000],
  ['Pork Leg', 'Thịt đùi heo', 60000],
  ['Pork Trotters', 'Giò heo', 50000],
  ['Pork Belly Skin-on', 'Ba rọi heo có da', 72000],
];

const beefSources = [
  imported('Australian', 'Úc', 'AU', 1.3),
  imported('US', 'Mỹ', 'US', 1.4),
  imported('Canadian', 'Canada', 'CA', 1.3),
  imported('New Zealand', 'New Zealand', 'NZ', 1.25),
  brand('Vissan', 'Vissan'),
  brand('MEATDeli', 'Masan MEATLife', 1.05),
];
const beefKinds = [
  PLAIN,
  variant('Grass-fed', 'ăn cỏ', { price: 1.15 }),
  variant('Grain-fed', 'ăn ngũ cốc', { price: 1.2 }),
  variant('Wagyu', 'Wagyu', { price: 3 }),
];
const beefCuts: [string, string, number][] = [
  ['Beef Tenderloin', 'Thăn nội bò', 220000],
  ['Beef Striploin', 'Thăn ngoại bò', 180000],
  ['Ribeye', 'Thăn lưng bò', 200000],
  ['Beef Brisket', 'Gầu bò', 140000],
  ['Beef Shank', 'Bắp bò', 150000],
  ['Beef Short Plate', 'Ba chỉ bò', 120000],
  ['Beef Chuck', 'Nạc vai bò', 130000],
  ['Beef Short Ribs', 'Sườn bò', 170000],
  ['Minced Beef', 'Thịt bò xay', 120000],
  ['Beef Flank', 'Nạm bò', 130000],
  ['Beef Tendon', 'Gân bò', 110000],
  ['Oxtail', 'Đuôi bò', 160000],
];

const poultryFarms = [
  brand('CP', 'C.P. Việt Nam'),
  brand('Dabaco', 'Dabaco', 0.95),
  brand('Japfa', 'Japfa Comfeed Việt Nam'),
  brand('Koyu', 'Koyu & Unitek', 1.1),
  brand('Mavin', 'Mavin Group', 0.95),
];
const poultryKinds = [
  PLAIN,
  variant('Free-range', 'thả vườn', { price: 1.4, tags: ['free-range'] }),
  variant('Native', 'ta', { price: 1.5 }),
  { ...ORGANIC, priceFactor: 1.7 },
];
const poultryCuts: [string, string, number][] = [
  ['Whole Chicken', 'Gà nguyên con', 45000],
  ['Chicken Breast', 'Ức gà', 50000],
  ['Chicken Thighs', 'Đùi gà', 45000],
  ['Chicken Drumsticks', 'Đùi tỏi gà', 48000],
  ['Chicken Wings', 'Cánh gà', 55000],
  ['Chicken Feet', 'Chân gà', 40000],
  ['Boneless Chicken Thighs', 'Đùi gà rút xương', 60000],
  ['Minced Chicken', 'Thịt gà xay', 48000],
  ['Whole Duck', 'Vịt nguyên con', 50000],
  ['Duck Breast', 'Ức vịt', 80000],
];

const coldCutMakers = [
  brand('Vissan', 'Vissan'),
  brand('Đức Việt', 'Đức Việt Foods'),
  brand('CP', 'C.P. Việt Nam'),
  brand('Ponnie', 'Masan MEATLife'),
  brand('Le Gourmet', 'Vissan', 1.2),
  brand('G Kitchen', 'G Kitchen', 1.1),
];
const coldCutKinds = [
  PLAIN,
  variant('Black Pepper', 'tiêu đen'),
  variant('Garlic', 'tỏi'),
  variant('Spicy', 'cay'),
  variant('Premium', 'thượng hạng', { price: 1.3 }),
];

export const meat: Department = {
  slug: 'meat',
  en: 'Meat',
  vi: 'Thịt',
  leaves: [
    {
      slug: 'pork',
      en: 'Pork',
      vi: 'Thịt heo',
      weight: 8,
      storage: 'chilled',
      perishable: true,
      shelfLifeDays: 4,
      lines: porkCuts.map(([en, vi, price]) => cut(en, vi, price, pigFarms, pigKinds, DIET.pork, ['meat', 'pork'])),
    },
    {
      slug: 'beef',
      en: 'Beef',
      vi: 'Thịt bò',
      weight: 9,
      storage: 'chilled',
      perishable: true,
      shelfLifeDays: 5,
      lines: beefCuts.map(([en, vi, price]) =>
        cut(en, vi, price, beefSources, beefKinds, DIET.halalMeat, ['meat', 'beef'], ['200g', '300g', '500g', '1kg']),
      ),
    },
    {
      slug: 'poultry',
      en: 'Poultry',
      vi: 'Thịt gia cầm',
      weight: 6,
      storage: 'chilled',
      perishable: true,
      shelfLifeDays: 3,
      lines: poultryCuts.map(([en, vi, price]) =>
        cut(en, vi, price, poultryFarms, poultryKinds, DIET.halalMeat, ['meat', 'poultry']),
      ),
    },
    {
      slug: 'cold-cuts',
      en: 'Sausages & cold cuts',
      vi: 'Xúc xích & Giò chả',
      weight: 6,
      storage: 'chilled',
      perishable: true,
      shelfLifeDays: 20,
      lines: [
        ...(
          [
            ['Vietnamese Pork Roll', 'Giò lụa', 90000],
            ['Cinnamon Pork Roll', 'Chả quế', 95000],
            ['Head Cheese', 'Giò thủ', 100000],
            ['Fermented Pork Roll', 'Nem chua', 80000],
            ['Ham', 'Thịt nguội jambon', 110000],
            ['Bacon', 'Thịt xông khói', 120000],
            ['Pork Sausages', 'Xúc xích heo', 70000],
            ['Pork Meatballs', 'Thịt viên heo', 65000],
          ] as const
        ).map(([en, vi, price]) =>
          line({
            en: `{maker} ${en} {variant} {size}`,
            vi: `${vi} {variant} {maker} {size}`,
            makers: coldCutMakers,
            variants: coldCutKinds.map((k) => ({ ...k, excludes: PORKY })),
            sizes: [size('200g', price * 0.42, 'pack'), size('500g', price, 'pack'), size('1kg', price * 1.9, 'pack')],
            eligible: DIET.pork,
            tags: ['meat', 'cold-cuts', 'pork'],
          }),
        ),
        line({
          en: '{maker} Chicken Sausages {variant} {size}',
          vi: 'Xúc xích gà {variant} {maker} {size}',
          makers: coldCutMakers,
          variants: coldCutKinds,
          sizes: [
            size('200g', 30000, 'pack'),
            size('500g', 70000, 'pack'),
            size2('Pack of 5', 'gói 5 cây', 25000, 'pack'),
          ],
          eligible: DIET.halalMeat,
          tags: ['meat', 'cold-cuts', 'chicken'],
        }),
      ],
    },
  ],
};
