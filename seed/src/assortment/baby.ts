// Mother & baby: formula, baby food, diapers and wipes.
import { brand, DIET, line, ORGANIC, pack, size, size2, variant } from './build';
import type { Department } from './types';

const cans2 = pack(2, 'Pack of 2', 'combo 2 lon');
const pg = 'P&G Việt Nam';

export const baby: Department = {
  slug: 'baby',
  en: 'Mother & baby',
  vi: 'Mẹ & Bé',
  leaves: [
    {
      slug: 'formula',
      en: 'Formula & baby food',
      vi: 'Sữa bột & Ăn dặm',
      weight: 5,
      storage: 'ambient',
      perishable: false,
      lines: [
        line({
          en: '{maker} Formula {variant} {size}',
          vi: 'Sữa bột {maker} {variant} {size}',
          makers: [
            brand('Vinamilk Optimum Gold', 'Vinamilk'),
            brand('Dielac Grow Plus', 'Vinamilk', 0.8),
            brand('Nutifood GrowPLUS+', 'Nutifood', 0.9),
            brand('Similac', 'Abbott', 1.3, 'US'),
            brand('NAN', 'Nestlé Việt Nam', 1.3),
            brand('Meiji', 'Meiji', 1.3, 'JP'),
            brand('Friso Gold', 'FrieslandCampina Việt Nam', 1.3),
            brand('Enfa A+', 'Mead Johnson', 1.4, 'US'),
            brand('Aptamil', 'Danone', 1.5, 'NZ'),
          ],
          variants: [
            variant('Stage 1 (0–6 months)', 'số 1 (0–6 tháng)'),
            variant('Stage 2 (6–12 months)', 'số 2 (6–12 tháng)'),
            variant('Stage 3 (1–2 years)', 'số 3 (1–2 tuổi)'),
            variant('Stage 4 (2–6 years)', 'số 4 (2–6 tuổi)'),
          ],
          sizes: [
            size2('400g can', 'lon 400g', 250000, 'piece'),
            size2('800g can', 'lon 800g', 460000, 'piece', [cans2]),
            size2('1.7kg can', 'lon 1.7kg', 900000, 'piece'),
          ],
          eligible: DIET.dairy,
          tags: ['baby', 'formula'],
        }),
        line({
          en: '{maker} Baby Cereal {variant} {size}',
          vi: 'Bột ăn dặm {maker} {variant} {size}',
          makers: [
            brand('Ridielac', 'Vinamilk'),
            brand('Nestlé Cerelac', 'Nestlé Việt Nam', 1.2),
            brand('HiPP', 'HiPP', 1.8, 'DE'),
            brand('Bellamy’s', 'Bellamy’s Organic', 2, 'AU'),
          ],
          variants: [
            variant('Rice & Milk', 'gạo sữa'),
            variant('Pork & Vegetables', 'heo rau củ', { excludes: ['vegetarian', 'halal'] }),
            variant('Chicken & Carrot', 'gà cà rốt', { excludes: ['vegetarian'] }),
            variant('Salmon & Broccoli', 'cá hồi bông cải', { excludes: ['vegetarian'] }),
            variant('Fruit', 'trái cây'),
            ORGANIC,
          ],
          sizes: [size('200g', 50000, 'box'), size('350g', 85000, 'box')],
          eligible: DIET.dairy,
          tags: ['baby', 'baby-food'],
        }),
      ],
    },
    {
      slug: 'diapers',
      en: 'Diapers & wipes',
      vi: 'Tã, bỉm & Khăn ướt',
      weight: 7,
      storage: 'non_food',
      perishable: false,
      lines: [
        ...(
          [
            ['Tape Diapers', 'Tã dán', 1],
            ['Pull-up Pants', 'Tã quần', 1.1],
          ] as const
        ).map(([en, vi, factor]) =>
          line({
            en: `{maker} ${en} {variant} {size}`,
            vi: `${vi} {maker} {variant} {size}`,
            makers: [
              brand('Bobby', 'Unicharm Việt Nam'),
              brand('Huggies', 'Kimberly-Clark', 1.05, 'US'),
              brand('Pampers', pg, 1.1),
              brand('Merries', 'Kao', 1.5, 'JP'),
              brand('Moony', 'Unicharm Việt Nam', 1.5, 'JP'),
              brand('Molfix', 'Hayat', 0.85, 'TR'),
            ],
            variants: ['Newborn', 'S', 'M', 'L', 'XL', 'XXL'].map((s) => variant(`Size ${s}`, `size ${s}`)),
            sizes: [
              size2('Pack of 20', 'gói 20 miếng', 90000 * factor, 'pack'),
              size2('Pack of 40', 'gói 40 miếng', 170000 * factor, 'pack'),
              size2('Jumbo pack of 60', 'gói siêu lớn 60 miếng', 245000 * factor, 'pack'),
            ],
            eligible: [],
            tags: ['baby', 'diapers'],
          }),
        ),
        line({
          en: '{maker} Baby Wipes {variant} {size}',
          vi: 'Khăn ướt em bé {maker} {variant} {size}',
          makers: [
            brand('Bobby', 'Unicharm Việt Nam'),
            brand('Huggies', 'Kimberly-Clark', 1.1, 'US'),
            brand('Mamamy', 'Mamamy'),
            brand('Nuby', 'Nuby', 1.1, 'US'),
          ],
          variants: [
            variant('Unscented', 'không mùi'),
            variant('Aloe Vera', 'lô hội'),
            variant('Green Tea', 'trà xanh'),
          ],
          sizes: [
            size2('Pack of 80', 'gói 80 tờ', 35000, 'pack'),
            size2('Pack of 3 × 80', 'combo 3 gói 80 tờ', 95000, 'pack'),
          ],
          eligible: [],
          tags: ['baby', 'wipes'],
        }),
      ],
    },
  ],
};
