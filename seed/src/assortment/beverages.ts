// Beverages: water, soft drinks, juice, beer and cider, energy and sports drinks, bottled tea.
import type { Dietary } from '../model';
import { brand, DIET, line, pack, size, size2, variant } from './build';
import type { Department, Maker, PackFormat, ProductLine, Size, Variant } from './types';

const cans6 = pack(6, 'Pack of 6', 'lốc 6 lon');
const cans24 = pack(24, 'Case of 24', 'thùng 24 lon', 'box');
const bottles6 = pack(6, 'Pack of 6', 'lốc 6 chai');
const bottles24 = pack(24, 'Case of 24', 'thùng 24 chai', 'box');
const bottles12 = pack(12, 'Case of 12', 'thùng 12 chai', 'box');
const crate20 = pack(20, 'Crate of 20', 'két 20 chai', 'box');
const boxes4 = pack(4, 'Pack of 4', 'lốc 4 hộp');
const boxes48 = pack(48, 'Case of 48', 'thùng 48 hộp', 'box');

const can = (ml: number, price: number) => size2(`${ml}ml can`, `lon ${ml}ml`, price, 'piece', [cans6, cans24]);
const bottle = (label: string, price: number, packs: PackFormat[] = [bottles6, bottles24]) =>
  size(label, price, 'bottle', packs);

/** A drink sold under one brand, e.g. "Coca-Cola Zero Sugar 330ml can". */
function drink(
  maker: Maker,
  en: string,
  vi: string,
  variants: Variant[],
  sizes: Size[],
  eligible: Dietary[],
  tags: string[],
): ProductLine {
  return line({
    en: `{maker} ${en} {variant} {size}`,
    vi: `${vi} {maker} {variant} {size}`,
    makers: [maker],
    variants,
    sizes,
    eligible,
    tags,
  });
}

const cocaCola = 'Coca-Cola Việt Nam';
const pepsiCo = 'Suntory PepsiCo Việt Nam';
const sodaSizes = [
  can(320, 10000),
  can(330, 10500),
  bottle('390ml', 9000),
  bottle('600ml', 12000),
  bottle('1.5L', 21000, [bottles12]),
];

export const beverages: Department = {
  slug: 'beverages',
  en: 'Beverages',
  vi: 'Đồ uống',
  leaves: [
    {
      slug: 'water',
      en: 'Water',
      vi: 'Nước suối',
      weight: 4,
      storage: 'ambient',
      perishable: false,
      lines: [
        line({
          en: '{maker} Mineral Water {variant} {size}',
          vi: 'Nước khoáng {maker} {variant} {size}',
          makers: [
            brand('Vĩnh Hảo', 'Vĩnh Hảo'),
            brand('La Vie', 'La Vie', 1.05),
            brand('Đảnh Thạnh', 'Khoáng Đảnh Thạnh', 0.95),
            brand('Evian', 'Danone', 3, 'FR'),
            brand('Vital', 'Vital', 0.9),
          ],
          variants: [
            variant('Still', 'không ga'),
            variant('Sparkling', 'có ga', { price: 1.3 }),
            variant('Lemon Sparkling', 'có ga hương chanh', { price: 1.4 }),
          ],
          sizes: [
            bottle('350ml', 5000),
            bottle('500ml', 6000),
            bottle('1.5L', 12000, [bottles12]),
            size('5L', 30000, 'bottle'),
          ],
          eligible: [],
          tags: ['water'],
        }),
        line({
          en: '{maker} Purified Water {variant} {size}',
          vi: 'Nước tinh khiết {maker} {variant} {size}',
          makers: [
            brand('Aquafina', pepsiCo),
            brand('Dasani', cocaCola),
            brand('I-on Life', 'Tân Hiệp Phát', 1.3),
            brand('Satori', 'Satori', 0.9),
          ],
          variants: [variant('', ''), variant('Alkaline', 'ion kiềm', { price: 1.4 })],
          sizes: [
            bottle('355ml', 4500),
            bottle('500ml', 5500),
            bottle('1.5L', 11000, [bottles12]),
            size('5L', 28000, 'bottle'),
            size('19L', 60000, 'bottle'),
          ],
          eligible: [],
          tags: ['water'],
        }),
      ],
    },
    {
      slug: 'soft-drinks',
      en: 'Soft drinks',
      vi: 'Nước ngọt',
      weight: 5,
      storage: 'ambient',
      perishable: false,
      lines: [
        drink(
          brand('Coca-Cola', cocaCola),
          'Soft Drink',
          'Nước ngọt',
          [variant('Original', 'nguyên bản'), variant('Zero Sugar', 'không đường'), variant('Light', 'Light')],
          sodaSizes,
          DIET.drink,
          ['soft-drinks', 'cola'],
        ),
        drink(
          brand('Pepsi', pepsiCo),
          'Soft Drink',
          'Nước ngọt',
          [variant('Original', 'nguyên bản'), variant('Zero Sugar', 'không calo'), variant('Lime', 'vị chanh')],
          sodaSizes,
          DIET.drink,
          ['soft-drinks', 'cola'],
        ),
        drink(
          brand('Fanta', cocaCola),
          'Soft Drink',
          'Nước ngọt',
          [
            variant('Orange', 'hương cam'),
            variant('Grape', 'hương nho'),
            variant('Sarsaparilla', 'xá xị'),
            variant('Strawberry', 'hương dâu'),
          ],
          sodaSizes,
          DIET.drink,
          ['soft-drinks'],
        ),
        drink(
          brand('Mirinda', pepsiCo),
          'Soft Drink',
          'Nước ngọt',
          [
            variant('Orange', 'hương cam'),
            variant('Sarsaparilla', 'xá xị'),
            variant('Cream Soda', 'soda kem'),
            variant('Green Cream Soda', 'soda kem xanh'),
          ],
          sodaSizes,
          DIET.drink,
          ['soft-drinks'],
        ),
        drink(
          brand('7Up', pepsiCo),
          'Lemon-Lime Soda',
          'Nước ngọt',
          [variant('Original', 'nguyên bản'), variant('Zero Sugar', 'không đường')],
          sodaSizes,
          DIET.drink,
          ['soft-drinks'],
        ),
        drink(
          brand('Sprite', cocaCola),
          'Lemon-Lime Soda',
          'Nước ngọt',
          [variant('Original', 'nguyên bản'), variant('Zero Sugar', 'không đường')],
          sodaSizes,
          DIET.drink,
          ['soft-drinks'],
        ),
        drink(
          brand('Schweppes', cocaCola),
          'Mixer',
          'Nước',
          [variant('Tonic', 'Tonic'), variant('Soda Water', 'Soda'), variant('Ginger Ale', 'Ginger Ale')],
          [can(320, 10000), can(330, 10500)],
          DIET.drink,
          ['soft-drinks', 'mixers'],
        ),
        drink(
          brand('Mountain Dew', pepsiCo),
          'Soft Drink',
          'Nước ngọt',
          [variant('Original', 'nguyên bản')],
          sodaSizes,
          DIET.drink,
          ['soft-drinks'],
        ),
        drink(
          brand('Chương Dương', 'Nước giải khát Chương Dương'),
          'Sarsaparilla Soda',
          'Xá xị',
          [variant('Original', 'nguyên bản'), variant('Less Sugar', 'ít đường')],
          [can(330, 9500), bottle('390ml', 9000)],
          DIET.drink,
          ['soft-drinks', 'sarsaparilla'],
        ),
      ],
    },
    {
      slug: 'juice',
      en: 'Juice & coconut water',
      vi: 'Nước ép & Nước dừa',
      weight: 10,
      storage: 'ambient',
      perishable: false,
      lines: [
        line({
          en: '{maker} {variant} Juice {size}',
          vi: 'Nước ép {variant} {maker} {size}',
          makers: [
            brand('Vfresh', 'Vinamilk'),
            brand('TH true JUICE', 'TH Group', 1.1),
            brand('Teppy', cocaCola, 0.9),
            brand('Twister', pepsiCo, 0.9),
            brand('Malee', 'Malee', 1.3, 'TH'),
            brand('Tipco', 'Tipco', 1.3, 'TH'),
            brand('Dalat Farm', 'Đà Lạt Farm', 1.2),
          ],
          variants: [
            variant('Orange', 'cam'),
            variant('Apple', 'táo'),
            variant('Peach', 'đào'),
            variant('Guava', 'ổi'),
            variant('Pineapple', 'thơm'),
            variant('Grape', 'nho'),
            variant('Mango', 'xoài'),
            variant('Mixed Fruit', 'trái cây hỗn hợp'),
            variant('Passion Fruit', 'chanh dây'),
          ],
          sizes: [
            size('180ml', 8000, 'box', [boxes4, boxes48]),
            bottle('350ml', 12000),
            size('1L', 38000, 'box', [bottles12]),
          ],
          eligible: DIET.drink,
          tags: ['juice'],
        }),
        line({
          en: '{maker} Coconut Water {variant} {size}',
          vi: 'Nước dừa {maker} {variant} {size}',
          makers: [
            brand('Cocoxim', 'Betrimex'),
            brand('Vietcoco', 'Vietcoco'),
            brand('Malee', 'Malee', 1.3, 'TH'),
            brand('Wonderfarm', 'Interfood', 0.9),
          ],
          variants: [
            variant('Original', 'nguyên chất'),
            variant('Pandan', 'lá dứa'),
            variant('Organic', 'hữu cơ', { price: 1.4, labels: ['organic'] }),
            variant('Sparkling', 'có ga'),
          ],
          sizes: [size('330ml', 14000, 'box', [boxes4, boxes48]), size('1L', 40000, 'box')],
          eligible: DIET.drink,
          tags: ['coconut-water'],
        }),
      ],
    },
    {
      slug: 'beer',
      en: 'Beer & cider',
      vi: 'Bia & Nước táo lên men',
      weight: 5,
      storage: 'ambient',
      perishable: false,
      lines: [
        ...(
          [
            [
              'Heineken',
              'Heineken Việt Nam',
              1.3,
              [
                ['Original', 'nguyên bản'],
                ['Silver', 'Silver'],
                ['0.0 Alcohol-free', '0.0 độ'],
              ],
            ],
            [
              'Tiger',
              'Heineken Việt Nam',
              1.1,
              [
                ['Lager', 'Lager'],
                ['Crystal', 'Crystal'],
                ['Platinum Wheat Lager', 'Platinum Wheat Lager'],
              ],
            ],
            [
              'Saigon',
              'Sabeco',
              0.95,
              [
                ['Lager', 'Lager'],
                ['Export', 'Export'],
                ['Special', 'Special'],
                ['Chill', 'Chill'],
                ['Gold', 'Gold'],
              ],
            ],
            [
              '333',
              'Sabeco',
              0.9,
              [
                ['Original', 'nguyên bản'],
                ['Pilsner', 'Pilsner'],
              ],
            ],
            [
              'Hà Nội',
              'Habeco',
              0.9,
              [
                ['Original', 'nguyên bản'],
                ['Premium', 'Premium'],
              ],
            ],
            ['Trúc Bạch', 'Habeco', 1.1, [['Original', 'nguyên bản']]],
            [
              'Huda',
              'Carlsberg Việt Nam',
              0.9,
              [
                ['Original', 'nguyên bản'],
                ['Ice Blast', 'Ice Blast'],
              ],
            ],
            [
              'Larue',
              'Heineken Việt Nam',
              0.85,
              [
                ['Original', 'nguyên bản'],
                ['Special', 'Special'],
              ],
            ],
            ['Budweiser', 'AB InBev', 1.3, [['Original', 'nguyên bản']]],
            ['Sapporo', 'Sapporo Việt Nam', 1.3, [['Premium', 'Premium']]],
            [
              'Strongbow',
              'Heineken Việt Nam',
              1.4,
              [
                ['Apple', 'táo'],
                ['Red Berries', 'dâu đỏ'],
                ['Elderflower', 'hoa cơm cháy'],
                ['Honey', 'mật ong'],
              ],
            ],
          ] as const
        ).map(([name, manufacturer, factor, kinds]) =>
          line({
            en: `{maker} {variant} {size}`,
            vi: `${name === 'Strongbow' ? 'Nước táo lên men' : 'Bia'} {maker} {variant} {size}`,
            makers: [brand(name, manufacturer, factor)],
            variants: kinds.map(([en, vi]) => variant(en, vi)),
            sizes: [
              can(330, 13000),
              size2('Sleek 330ml can', 'lon cao 330ml', 14000, 'piece', [cans6, cans24]),
              size2('330ml bottle', 'chai 330ml', 14000, 'bottle', [bottles6, bottles24]),
              size2('450ml bottle', 'chai 450ml', 17000, 'bottle', [crate20]),
            ],
            eligible: ['vegan', 'vegetarian'],
            tags: [name === 'Strongbow' ? 'cider' : 'beer', 'alcohol'],
          }),
        ),
      ],
    },
    {
      slug: 'energy-sports',
      en: 'Energy & sports drinks',
      vi: 'Nước tăng lực & Thể thao',
      weight: 1,
      storage: 'ambient',
      perishable: false,
      lines: [
        drink(
          brand('Red Bull', 'Red Bull Việt Nam'),
          'Energy Drink',
          'Nước tăng lực',
          [variant('Original', 'nguyên bản'), variant('Sugar-free', 'không đường')],
          [can(250, 12000)],
          DIET.drink,
          ['energy-drinks'],
        ),
        drink(
          brand('Sting', pepsiCo),
          'Energy Drink',
          'Nước tăng lực',
          [variant('Strawberry', 'hương dâu'), variant('Gold Ginseng', 'Gold nhân sâm')],
          [can(320, 10000), bottle('330ml', 10000)],
          DIET.drink,
          ['energy-drinks'],
        ),
        drink(
          brand('Number 1', 'Tân Hiệp Phát'),
          'Energy Drink',
          'Nước tăng lực',
          [variant('Original', 'nguyên bản'), variant('Chanh Muối', 'chanh muối')],
          [bottle('330ml', 10000), can(330, 11000)],
          DIET.drink,
          ['energy-drinks'],
        ),
        drink(
          brand('Wake-up 247', 'Masan Beverage'),
          'Energy Drink',
          'Nước tăng lực',
          [variant('Coffee', 'cà phê'), variant('Original', 'nguyên bản')],
          [bottle('330ml', 10000)],
          DIET.drink,
          ['energy-drinks'],
        ),
        drink(
          brand('Monster Energy', cocaCola, 1.8),
          'Energy Drink',
          'Nước tăng lực',
          [variant('Original', 'nguyên bản'), variant('Ultra', 'Ultra không đường')],
          [can(355, 15000)],
          DIET.drink,
          ['energy-drinks'],
        ),
        drink(
          brand('Revive', pepsiCo),
          'Isotonic Drink',
          'Nước uống vận động',
          [variant('Original', 'nguyên bản'), variant('Lemon Salt', 'chanh muối')],
          [bottle('500ml', 10000)],
          DIET.drink,
          ['sports-drinks'],
        ),
        drink(
          brand('Aquarius', cocaCola),
          'Isotonic Drink',
          'Nước uống vận động',
          [variant('Original', 'nguyên bản'), variant('Zero', 'Zero')],
          [bottle('390ml', 10000)],
          DIET.drink,
          ['sports-drinks'],
        ),
        drink(
          brand('Pocari Sweat', 'Otsuka', 1.3, 'JP'),
          'Ion Supply Drink',
          'Nước bổ sung ion',
          [variant('Original', 'nguyên bản')],
          [bottle('350ml', 12000), bottle('500ml', 15000), bottle('900ml', 25000, [bottles12])],
          DIET.drink,
          ['sports-drinks'],
        ),
      ],
    },
    {
      slug: 'bottled-tea',
      en: 'Bottled tea',
      vi: 'Trà đóng chai',
      weight: 12,
      storage: 'ambient',
      perishable: false,
      lines: [
        line({
          en: '{maker} {variant} Tea Drink {size}',
          vi: 'Trà {variant} {maker} {size}',
          makers: [
            brand('Không Độ', 'Tân Hiệp Phát'),
            brand('C2', 'URC Việt Nam', 0.9),
            brand('Fuze Tea', cocaCola),
            brand('Tea Plus', pepsiCo),
            brand('Lipton', pepsiCo),
            brand('Dr Thanh', 'Tân Hiệp Phát'),
            brand('Wonderfarm', 'Interfood', 0.9),
          ],
          variants: [
            variant('Green Lemon', 'xanh chanh'),
            variant('Honey Lemon', 'mật ong chanh', { excludes: ['vegan'] }),
            variant('Peach', 'đào'),
            variant('Passion Fruit', 'chanh dây'),
            variant('Lychee', 'vải'),
            variant('Oolong', 'ô long'),
            variant('Winter Melon', 'bí đao'),
            variant('Herbal', 'thảo mộc'),
            variant('Less Sugar Green', 'xanh ít đường'),
          ],
          sizes: [bottle('455ml', 10000), bottle('500ml', 10500), bottle('1L', 18000, [bottles12]), can(310, 9000)],
          eligible: DIET.drink,
          tags: ['tea', 'bottled-tea'],
        }),
      ],
    },
  ],
};
