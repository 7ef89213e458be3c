// Rice & Noodles: rice by cultivar, instant noodles/phở/porridge, dry noodles, pasta and flour.
import { brand, DIET, line, ORGANIC, pack, PLAIN, PORKY, MEATY, size, size2, variant, VEGETARIAN } from './build';
import type { Department } from './types';

const bag5 = pack(5, 'Pack of 5', 'lốc 5 gói');
const case30 = pack(30, 'Case of 30', 'thùng 30 gói', 'box');
const cupCase24 = pack(24, 'Case of 24', 'thùng 24 ly', 'box');
const bagOf2 = pack(2, 'Pack of 2', 'combo 2 túi');

const shrimp = (en: string, vi: string) => variant(en, vi, { excludes: [...MEATY, 'halal'] });
const pork = (en: string, vi: string) => variant(en, vi, { excludes: PORKY });
const meaty = (en: string, vi: string) => variant(en, vi, { excludes: MEATY });

export const riceNoodles: Department = {
  slug: 'rice-noodles',
  en: 'Rice & Noodles',
  vi: 'Gạo & Mì',
  leaves: [
    {
      slug: 'rice',
      en: 'Rice',
      vi: 'Gạo',
      weight: 9,
      storage: 'ambient',
      perishable: false,
      lines: [
        line({
          en: '{maker} {variant} Rice {size}',
          vi: 'Gạo {variant} {maker} {size}',
          makers: [
            brand('Lộc Trời', 'Tập đoàn Lộc Trời'),
            brand('Ông Cua', 'Doanh nghiệp tư nhân Hồ Quang', 1.1),
            brand('Neptune', 'Wilmar CLV'),
            brand('Meizan', 'Wilmar CLV', 0.95),
            brand('Trung An', 'Trung An Hi-Tech Farming'),
            brand('Vua Gạo', 'Vua Gạo', 1.05),
            brand('Hạt Ngọc Trời', 'Tập đoàn Lộc Trời', 1.05),
          ],
          variants: [
            variant('ST25', 'ST25', { price: 1.35, tags: ['st25'] }),
            variant('ST24', 'ST24', { price: 1.25 }),
            variant('Jasmine', 'thơm Jasmine'),
            variant('Tám Thơm', 'Tám thơm', { price: 1.1 }),
            variant('Nàng Hoa', 'Nàng Hoa', { price: 1.05 }),
            variant('Nàng Thơm Chợ Đào', 'Nàng Thơm Chợ Đào', { price: 1.3 }),
            variant('Yellow-flower Glutinous', 'nếp cái hoa vàng', { price: 1.4 }),
            variant('Brown', 'lứt', { price: 1.2 }),
            variant('Black', 'lứt đen', { price: 1.4 }),
            variant('Japonica', 'Japonica', { price: 1.3 }),
            variant('Organic ST25', 'ST25 hữu cơ', { price: 1.9, labels: ['organic'], tags: ['st25', 'organic'] }),
          ],
          sizes: [
            size('1kg', 32000, 'bag'),
            size('2kg', 62000, 'bag'),
            size('5kg', 150000, 'bag', [bagOf2]),
            size('10kg', 290000, 'bag'),
          ],
          eligible: DIET.plant,
          tags: ['rice'],
        }),
      ],
    },
    {
      slug: 'instant-noodles',
      en: 'Instant noodles',
      vi: 'Mì & Phở ăn liền',
      weight: 22,
      storage: 'ambient',
      perishable: false,
      lines: [
        line({
          en: '{maker} Instant Noodles {variant} {size}',
          vi: 'Mì {maker} {variant} {size}',
          makers: [
            brand('Hảo Hảo', 'Acecook Việt Nam'),
            brand('Đệ Nhất', 'Acecook Việt Nam', 1.1),
            brand('Omachi', 'Masan Consumer', 1.4),
            brand('Kokomi', 'Masan Consumer', 0.8),
            brand('Cung Đình', 'Micoem', 1.3),
            brand('Gấu Đỏ', 'Asia Foods', 0.8),
            brand('Vifon', 'Vifon'),
            brand('Miliket', 'Colusa-Miliket', 0.8),
            brand('3 Miền', 'Uniben', 0.9),
            brand('Reeva', 'Uniben', 1.2),
            brand('Nissin', 'Nissin Foods Việt Nam', 1.2),
            brand('Samyang', 'Samyang Foods', 3, 'KR'),
            brand('Shin Ramyun', 'Nongshim', 3, 'KR'),
            brand('Indomie', 'Indofood', 1.6, 'ID'),
          ],
          variants: [
            shrimp('Hot & Sour Shrimp', 'tôm chua cay'),
            pork('Pork Rib', 'sườn heo'),
            meaty('Beef Stew', 'bò hầm'),
            meaty('Chicken', 'gà'),
            pork('Minced Pork', 'thịt bằm'),
            shrimp('Seafood', 'hải sản'),
            shrimp('Crab', 'cua'),
            meaty('Spicy Beef', 'bò cay'),
            variant('Kimchi', 'kim chi', { excludes: [...MEATY, 'halal'] }),
            VEGETARIAN,
          ],
          sizes: [
            size('75g', 4500, 'pack', [bag5, case30]),
            size2('Cup 65g', 'ly 65g', 9000, 'piece', [cupCase24]),
            size2('Bowl 120g', 'tô 120g', 14000, 'piece'),
          ],
          eligible: DIET.plantWheat,
          tags: ['instant-noodles'],
        }),
        ...(
          [
            ['Instant Pho', 'Phở', ['Beef', 'bò'], ['Chicken', 'gà']],
            ['Instant Vermicelli', 'Bún', ['Huế Spicy Beef', 'bò Huế'], ['Crab', 'riêu cua']],
            ['Instant Hủ Tiếu', 'Hủ tiếu', ['Nam Vang', 'Nam Vang'], ['Seafood', 'hải sản']],
            ['Instant Porridge', 'Cháo', ['Minced Pork', 'thịt bằm'], ['Chicken', 'gà']],
          ] as const
        ).map(([en, vi, first, second]) =>
          line({
            en: `{maker} ${en} {variant} {size}`,
            vi: `${vi} {maker} {variant} {size}`,
            makers: [
              brand('Vifon', 'Vifon'),
              brand('Oh Ricey', 'Acecook Việt Nam', 1.4),
              brand('Đệ Nhất', 'Acecook Việt Nam', 1.1),
              brand('Cung Đình', 'Micoem', 1.2),
              brand('Bích Chi', 'Bích Chi'),
              brand('Gấu Đỏ', 'Asia Foods', 0.9),
            ],
            variants: [meaty(first[0], first[1]), meaty(second[0], second[1]), meaty('Spicy', 'cay'), VEGETARIAN],
            sizes: [size('65g', 7000, 'pack', [bag5, case30]), size2('Cup 70g', 'ly 70g', 12000, 'piece', [cupCase24])],
            eligible: DIET.plant,
            tags: ['instant-noodles', 'rice-based'],
          }),
        ),
      ],
    },
    {
      slug: 'dry-noodles',
      en: 'Rice noodles & vermicelli',
      vi: 'Bún, phở & miến',
      weight: 14,
      storage: 'ambient',
      perishable: false,
      lines: (
        [
          ['Dried Rice Vermicelli', 'Bún khô', 18000],
          ['Dried Pho Noodles', 'Bánh phở khô', 20000],
          ['Dried Hủ Tiếu Noodles', 'Hủ tiếu khô', 20000],
          ['Glass Noodles', 'Miến dong', 35000],
          ['Rice Paper', 'Bánh tráng', 20000],
          ['Dried Mì Quảng Noodles', 'Mì Quảng khô', 25000],
          ['Bánh Canh Noodles', 'Bánh canh khô', 22000],
        ] as const
      ).map(([en, vi, price]) =>
        line({
          en: `{maker} ${en} {variant} {size}`,
          vi: `${vi} {variant} {maker} {size}`,
          makers: [
            brand('Safoco', 'Safoco'),
            brand('Bích Chi', 'Bích Chi'),
            brand('Ba Cây Tre', 'Ba Cây Tre', 0.95),
            brand('Vifon', 'Vifon'),
            brand('Tân Nhất Hương', 'Tân Nhất Hương', 0.95),
            brand('Mikiri', 'Mikiri', 1.1),
          ],
          variants: [
            PLAIN,
            variant('Brown Rice', 'gạo lứt', { price: 1.3 }),
            ORGANIC,
            variant('Thin', 'sợi nhỏ'),
            variant('Wide', 'sợi to'),
          ],
          sizes: [size('200g', price * 0.5, 'pack'), size('400g', price, 'pack'), size('500g', price * 1.2, 'pack')],
          eligible: DIET.plant,
          tags: ['noodles', 'rice-based'],
        }),
      ),
    },
    {
      slug: 'pasta-flour',
      en: 'Pasta & flour',
      vi: 'Mì Ý & Bột',
      weight: 15,
      storage: 'ambient',
      perishable: false,
      lines: [
        ...(
          [
            ['Spaghetti', 'Mì Ý spaghetti', 'spaghetti'],
            ['Penne', 'Nui ống penne', 'penne'],
            ['Fusilli', 'Nui xoắn fusilli', 'fusilli'],
            ['Macaroni', 'Nui macaroni', 'macaroni'],
          ] as const
        ).map(([en, vi, tag]) =>
          line({
            en: `{maker} ${en} {variant} {size}`,
            vi: `${vi} {maker} {variant} {size}`,
            makers: [
              brand('Barilla', 'Barilla', 1.4, 'IT'),
              brand('Panzani', 'Panzani', 1.2, 'FR'),
              brand('La Molisana', 'La Molisana', 1.5, 'IT'),
              brand('San Remo', 'San Remo', 1.1, 'AU'),
              brand('Safoco', 'Safoco', 0.8),
              brand('Meizan', 'Wilmar CLV', 0.8),
            ],
            variants: [
              PLAIN,
              variant('Whole Wheat', 'nguyên cám', { price: 1.2 }),
              variant('Gluten Free', 'không gluten', { price: 1.8, labels: ['gluten_free'] }),
              ORGANIC,
            ],
            sizes: [size('250g', 22000, 'pack'), size('500g', 40000, 'pack'), size('1kg', 75000, 'pack')],
            eligible: DIET.plantWheat,
            tags: ['pasta', tag],
          }),
        ),
        ...(
          [
            ['Wheat Flour', 'Bột mì', 20000, 'plantWheat'],
            ['Tapioca Starch', 'Bột năng', 18000, 'plant'],
            ['Rice Flour', 'Bột gạo', 18000, 'plant'],
            ['Glutinous Rice Flour', 'Bột nếp', 22000, 'plant'],
            ['Tempura Batter Mix', 'Bột chiên giòn', 15000, 'plantWheat'],
            ['Bánh Xèo Flour', 'Bột bánh xèo', 15000, 'plant'],
            ['Bread Flour', 'Bột mì làm bánh mì', 30000, 'plantWheat'],
          ] as const
        ).map(([en, vi, price, diet]) =>
          line({
            en: `{maker} ${en} {variant} {size}`,
            vi: `${vi} {variant} {maker} {size}`,
            makers: [
              brand('Tài Ký', 'Tài Ký'),
              brand('Vĩnh Thuận', 'Vĩnh Thuận'),
              brand('Meizan', 'Wilmar CLV'),
              brand('Mikko', 'Mikko', 1.1),
              brand('Bakers’ Choice', 'Bakers’ Choice', 1.3),
            ],
            variants: [PLAIN, variant('All-purpose', 'đa dụng'), ORGANIC],
            sizes: [size('400g', price, 'bag'), size('1kg', price * 2.2, 'bag')],
            eligible: DIET[diet],
            tags: ['flour', 'baking'],
          }),
        ),
      ],
    },
  ],
};
