// Dairy & Eggs: milk, yogurt, cheese and butter, eggs, plant milks, condensed and powdered milk.
import { brand, brand2, DIET, line, ORGANIC, pack, size, size2, variant } from './build';
import type { Department } from './types';

const box4 = pack(4, 'Pack of 4', 'lốc 4 hộp');
const cup4 = pack(4, 'Pack of 4', 'lốc 4 hũ');
const bottle5 = pack(5, 'Pack of 5', 'lốc 5 chai');
const box6 = pack(6, 'Pack of 6', 'lốc 6 hộp');
const case12 = pack(12, 'Case of 12', 'thùng 12 hộp', 'box');
const case36 = pack(36, 'Case of 36', 'thùng 36 hộp', 'box');
const case48 = pack(48, 'Case of 48', 'thùng 48 hộp', 'box');
const cupCase48 = pack(48, 'Case of 48', 'thùng 48 hũ', 'box');
const bottleCase50 = pack(50, 'Case of 50', 'thùng 50 chai', 'box');
const canCase48 = pack(48, 'Case of 48', 'thùng 48 lon', 'box');

const vinamilk = brand('Vinamilk', 'Vinamilk');
const th = (name: string) => brand(name, 'TH Group', 1.08);
const dutchLady = brand('Dutch Lady', 'FrieslandCampina Việt Nam', 0.95);
const mocChau = brand('Mộc Châu Milk', 'Mộc Châu Milk', 0.95);
const nutifood = brand('Nutifood', 'Nutifood', 0.92);
const dalatMilk = brand('Dalat Milk', 'Dalatmilk', 1.05);
const lothamilk = brand('Lothamilk', 'Lothamilk', 0.95);
const greenFarm = brand('Vinamilk Green Farm', 'Vinamilk', 1.15);
const hanoimilk = brand('Hanoimilk', 'Hanoimilk', 0.9);
const vinasoy = (name: string, factor = 1) => brand(name, 'Vinasoy', factor);

export const dairy: Department = {
  slug: 'dairy',
  en: 'Dairy & Eggs',
  vi: 'Sữa & Trứng',
  leaves: [
    {
      slug: 'fresh-milk',
      en: 'Fresh milk',
      vi: 'Sữa tươi',
      weight: 11,
      storage: 'ambient',
      perishable: false,
      lines: [
        line({
          en: '{maker} Fresh Milk {variant} {size}',
          vi: 'Sữa tươi {maker} {variant} {size}',
          about: {
            en: 'UHT-treated fresh cow’s milk from Vietnamese dairy farms.',
            vi: 'Sữa bò tươi tiệt trùng UHT từ các trang trại bò sữa Việt Nam.',
          },
          makers: [
            vinamilk,
            th('TH true MILK'),
            dutchLady,
            mocChau,
            nutifood,
            dalatMilk,
            lothamilk,
            greenFarm,
            hanoimilk,
          ],
          variants: [
            variant('100% Unsweetened', '100% không đường', { tags: ['unsweetened'] }),
            variant('Less Sugar', 'ít đường', { tags: ['less-sugar'] }),
            variant('Sweetened', 'có đường'),
            variant('Strawberry', 'hương dâu', { tags: ['flavoured'] }),
            variant('Chocolate', 'sô-cô-la', { tags: ['flavoured'] }),
            { ...ORGANIC, priceFactor: 1.45 },
            variant('Lactose Free', 'không lactose', { price: 1.15, labels: ['lactose_free'] }),
            variant('High Calcium', 'giàu canxi', { price: 1.05 }),
          ],
          sizes: [
            size('110ml', 5000, 'box', [box4, case48]),
            size('180ml', 8000, 'box', [box4, case48]),
            size('1L', 36000, 'box', [case12]),
          ],
          eligible: DIET.dairy,
          tags: ['milk', 'uht'],
        }),
        line({
          en: '{maker} Pasteurised Fresh Milk {variant} {size}',
          vi: 'Sữa tươi thanh trùng {maker} {variant} {size}',
          about: {
            en: 'Gently pasteurised to keep the taste of fresh milk.',
            vi: 'Thanh trùng nhẹ để giữ trọn vị sữa tươi.',
          },
          perishable: true,
          shelfLifeDays: 10,
          storage: 'chilled',
          makers: [vinamilk, th('TH true MILK'), dalatMilk, mocChau, lothamilk, greenFarm],
          variants: [
            variant('Unsweetened', 'không đường', { tags: ['unsweetened'] }),
            variant('Sweetened', 'có đường'),
            variant('Less Sugar', 'ít đường', { tags: ['less-sugar'] }),
            { ...ORGANIC, priceFactor: 1.45 },
            variant('High Protein', 'giàu đạm', { price: 1.1 }),
          ],
          sizes: [size('450ml', 22000, 'bottle'), size('950ml', 40000, 'bottle'), size('2L', 78000, 'bottle')],
          eligible: DIET.dairy,
          tags: ['milk', 'pasteurised'],
        }),
      ],
    },
    {
      slug: 'yogurt',
      en: 'Yogurt',
      vi: 'Sữa chua',
      weight: 5,
      storage: 'chilled',
      perishable: true,
      shelfLifeDays: 30,
      lines: [
        line({
          en: '{maker} Yogurt {variant} {size}',
          vi: 'Sữa chua {maker} {variant} {size}',
          makers: [
            vinamilk,
            th('TH true YOGURT'),
            dutchLady,
            mocChau,
            nutifood,
            dalatMilk,
            brand('Vinamilk Susu', 'Vinamilk', 1.05),
            brand('Ba Vì Milk', 'Sữa Ba Vì', 0.95),
            hanoimilk,
          ],
          variants: [
            variant('Sweetened', 'có đường'),
            variant('Unsweetened', 'không đường', { tags: ['unsweetened'] }),
            variant('Aloe Vera', 'nha đam'),
            variant('Strawberry', 'dâu'),
            variant('Purple Sticky Rice', 'nếp cẩm'),
            variant('Greek-style', 'kiểu Hy Lạp', { price: 1.4 }),
            variant('Mixed Fruit', 'trái cây'),
            { ...ORGANIC, priceFactor: 1.4 },
            variant('Less Sugar', 'ít đường', { tags: ['less-sugar'] }),
            variant('Coconut', 'dừa'),
            variant('Mango', 'xoài'),
            variant('Passion Fruit', 'chanh dây'),
            variant('Blueberry', 'việt quất'),
          ],
          sizes: [size('100g', 7000, 'piece', [cup4, cupCase48]), size('500g', 32000, 'box')],
          eligible: DIET.dairy,
          tags: ['yogurt'],
        }),
        line({
          en: '{maker} Drinking Yogurt {variant} {size}',
          vi: 'Sữa chua uống {maker} {variant} {size}',
          makers: [
            brand('Vinamilk Probi', 'Vinamilk'),
            th('TH true YOGURT'),
            nutifood,
            brand('Betagen', 'Betagen', 1.05, 'TH'),
            dutchLady,
          ],
          variants: [
            variant('Original', 'nguyên bản'),
            variant('Strawberry', 'hương dâu'),
            variant('Orange', 'hương cam'),
            variant('Blueberry', 'việt quất'),
            variant('Lychee', 'hương vải'),
            variant('Less Sugar', 'ít đường', { tags: ['less-sugar'] }),
          ],
          sizes: [size('65ml', 5000, 'bottle', [bottle5, bottleCase50]), size('180ml', 9000, 'box', [box4, case48])],
          eligible: DIET.dairy,
          tags: ['yogurt', 'probiotic'],
        }),
      ],
    },
    {
      slug: 'cheese-butter',
      en: 'Cheese & Butter',
      vi: 'Phô mai & Bơ',
      weight: 1,
      storage: 'chilled',
      perishable: true,
      shelfLifeDays: 90,
      lines: [
        line({
          en: '{maker} {variant} Cheese {size}',
          vi: 'Phô mai {variant} {maker} {size}',
          makers: [
            brand2('The Laughing Cow', 'Con Bò Cười', 'Bel Group', 1, 'FR'),
            brand('Président', 'Lactalis', 1.2, 'FR'),
            brand('Anchor', 'Fonterra', 1.1, 'NZ'),
            brand('Emborg', 'Goodness Foods', 1.1, 'DK'),
            brand('Bega', 'Bega Cheese', 1.05, 'AU'),
            brand('Zott', 'Zott', 1, 'DE'),
          ],
          variants: [
            variant('Cheddar', 'Cheddar'),
            variant('Mozzarella', 'Mozzarella'),
            variant('Sliced', 'lát'),
            variant('Cream', 'kem'),
            variant('Parmesan', 'Parmesan', { price: 1.5 }),
            variant('Gouda', 'Gouda', { price: 1.2 }),
            variant('Emmental', 'Emmental', { price: 1.3 }),
          ],
          sizes: [size('120g', 45000, 'pack'), size('200g', 70000, 'pack'), size('500g', 150000, 'pack')],
          eligible: DIET.dairy,
          tags: ['cheese'],
        }),
        line({
          en: '{maker} Butter {variant} {size}',
          vi: 'Bơ {variant} {maker} {size}',
          makers: [
            brand('Anchor', 'Fonterra', 1.1, 'NZ'),
            brand('Président', 'Lactalis', 1.2, 'FR'),
            brand('Lurpak', 'Arla Foods', 1.3, 'DK'),
            brand('Elle & Vire', 'Savencia', 1.15, 'FR'),
            th('TH true BUTTER'),
          ],
          variants: [variant('Unsalted', 'lạt'), variant('Salted', 'mặn'), variant('Spreadable', 'dạng phết')],
          sizes: [size('100g', 40000, 'pack'), size('200g', 75000, 'pack'), size('454g', 150000, 'pack')],
          eligible: DIET.dairy,
          tags: ['butter'],
        }),
        line({
          en: '{maker} {variant} Cream {size}',
          vi: 'Kem tươi {variant} {maker} {size}',
          makers: [
            brand('Anchor', 'Fonterra', 1.1, 'NZ'),
            brand('Elle & Vire', 'Savencia', 1.15, 'FR'),
            brand('Président', 'Lactalis', 1.2, 'FR'),
            th('TH true MILK'),
          ],
          variants: [variant('Whipping', 'đánh bông'), variant('Cooking', 'nấu ăn')],
          sizes: [size('200ml', 45000, 'box'), size('1L', 160000, 'box')],
          eligible: DIET.dairy,
          tags: ['cream', 'baking'],
        }),
      ],
    },
    {
      slug: 'eggs',
      en: 'Eggs',
      vi: 'Trứng',
      weight: 1,
      storage: 'ambient',
      perishable: true,
      shelfLifeDays: 21,
      lines: [
        line({
          en: '{maker} {variant} {size}',
          vi: 'Trứng {variant} {maker} {size}',
          makers: [
            brand('Ba Huân', 'Ba Huân'),
            brand('CP', 'C.P. Việt Nam'),
            brand('Dabaco', 'Dabaco', 0.95),
            brand('Vĩnh Thành Đạt', 'Vĩnh Thành Đạt', 0.95),
            brand('Japfa', 'Japfa Comfeed Việt Nam'),
          ],
          variants: [
            variant('Chicken Eggs', 'gà'),
            variant('Free-range Chicken Eggs', 'gà ta thả vườn', { price: 1.4, tags: ['free-range'] }),
            variant('Omega-3 Chicken Eggs', 'gà Omega 3', { price: 1.3 }),
            variant('Organic Chicken Eggs', 'gà hữu cơ', { price: 1.8, labels: ['organic'], tags: ['organic'] }),
            variant('Duck Eggs', 'vịt', { price: 1.2 }),
            variant('Quail Eggs', 'cút', { price: 0.5 }),
            variant('Salted Duck Eggs', 'vịt muối', { price: 1.5 }),
            variant('Century Eggs', 'bắc thảo', { price: 1.6 }),
          ],
          sizes: [
            size2('Box of 4', 'hộp 4 quả', 13000, 'box'),
            size2('Box of 6', 'hộp 6 quả', 19000, 'box'),
            size2('Box of 10', 'hộp 10 quả', 30000, 'box'),
            size2('Tray of 30', 'vỉ 30 quả', 84000, 'box'),
          ],
          eligible: DIET.dairy,
          tags: ['eggs'],
        }),
      ],
    },
    {
      slug: 'plant-milk',
      en: 'Soy & plant-based milk',
      vi: 'Sữa đậu nành & Sữa hạt',
      weight: 7,
      storage: 'ambient',
      perishable: false,
      lines: [
        line({
          en: '{maker} Soy Milk {variant} {size}',
          vi: 'Sữa đậu nành {maker} {variant} {size}',
          makers: [
            vinasoy('Fami'),
            vinasoy('Veyo', 1.1),
            vinasoy('Goldsoy', 1.1),
            vinamilk,
            brand('Number 1 Soya', 'Tân Hiệp Phát'),
            brand('TH true SOY', 'TH Group', 1.05),
          ],
          variants: [
            variant('Original', 'nguyên chất'),
            variant('Less Sugar', 'ít đường', { tags: ['less-sugar'] }),
            variant('Unsweetened', 'không đường', { tags: ['unsweetened'] }),
            variant('Black Bean', 'đậu đen'),
            variant('Black Sesame', 'mè đen'),
            variant('Walnut', 'óc chó', { price: 1.2 }),
            variant('High Calcium', 'canxi', { price: 1.05 }),
          ],
          sizes: [size('200ml', 5500, 'box', [box6, case36]), size('1L', 25000, 'box', [case12])],
          eligible: DIET.plantMilk,
          tags: ['soy-milk', 'plant-based'],
        }),
        line({
          en: '{maker} {variant} Milk {size}',
          vi: 'Sữa {variant} {maker} {size}',
          makers: [
            brand('Vinamilk Super Nut', 'Vinamilk'),
            brand('TH true NUT', 'TH Group', 1.05),
            brand('137 Degrees', 'Greenspot', 1.2, 'TH'),
            brand('Alpro', 'Danone', 1.4, 'BE'),
            brand('Hanoimilk', 'Hanoimilk', 0.9),
          ],
          variants: [
            variant('Almond', 'hạnh nhân'),
            variant('Macadamia', 'mắc ca', { price: 1.2 }),
            variant('Oat', 'yến mạch', { excludes: ['gluten_free'] }),
            variant('Walnut', 'óc chó', { price: 1.1 }),
            variant('Cashew', 'hạt điều'),
            variant('Coconut', 'dừa'),
            variant('Peanut', 'đậu phộng', { price: 0.9 }),
          ],
          sizes: [size('180ml', 12000, 'box', [box4, case48]), size('1L', 65000, 'box')],
          eligible: DIET.plantMilk,
          tags: ['nut-milk', 'plant-based'],
        }),
      ],
    },
    {
      slug: 'condensed-powdered-milk',
      en: 'Condensed & powdered milk',
      vi: 'Sữa đặc & Sữa bột',
      weight: 4,
      storage: 'ambient',
      perishable: false,
      lines: [
        line({
          en: '{maker} Sweetened Condensed Milk {variant} {size}',
          vi: 'Sữa đặc có đường {maker} {variant} {size}',
          makers: [
            brand('Ông Thọ', 'Vinamilk'),
            brand('Ngôi Sao Phương Nam', 'Vinamilk', 0.9),
            dutchLady,
            brand('Nestlé', 'Nestlé Việt Nam', 1.05),
          ],
          variants: [
            variant('Original', 'truyền thống'),
            variant('Less Sugar', 'ít đường'),
            variant('Gold', 'vàng', { price: 1.1 }),
          ],
          sizes: [
            size2('380g can', 'lon 380g', 27000, 'piece', [canCase48]),
            size2('1.284kg can', 'lon 1.284kg', 80000, 'piece'),
            size2('Tube 165g', 'tuýp 165g', 16000, 'piece'),
          ],
          eligible: DIET.dairy,
          tags: ['condensed-milk'],
        }),
        line({
          en: '{maker} Milk Powder {variant} {size}',
          vi: 'Sữa bột {maker} {variant} {size}',
          makers: [
            vinamilk,
            nutifood,
            brand('Abbott', 'Abbott', 1.4, 'US'),
            brand('Nestlé', 'Nestlé Việt Nam', 1.2),
            brand('Anlene', 'Fonterra', 1.3, 'NZ'),
          ],
          variants: [
            variant('Full Cream', 'nguyên kem'),
            variant('Low Fat', 'ít béo'),
            variant('High Calcium', 'canxi cao', { price: 1.1 }),
            variant('For Seniors', 'cho người cao tuổi', { price: 1.3 }),
            variant('For Diabetics', 'cho người tiểu đường', { price: 1.4 }),
            variant('Sugar Free', 'không đường'),
          ],
          sizes: [
            size2('400g can', 'lon 400g', 140000, 'piece'),
            size2('800g can', 'lon 800g', 260000, 'piece'),
            size2('900g can', 'lon 900g', 290000, 'piece'),
          ],
          eligible: DIET.dairy,
          tags: ['milk-powder'],
        }),
      ],
    },
  ],
};
