// Fruit: Vietnamese fruit by cultivar and growing region, imported fruit by country.
import { brand, DIET, imported, line, origin, ORGANIC, PLAIN, size2, slug, variant, VIETGAP, weighed } from './build';
import type { Department, Maker, ProductLine, Size, Variant } from './types';

/** One fruit: "Tiền Giang Cát Hòa Lộc Mangoes 1kg" / "Xoài cát Hòa Lộc Tiền Giang 1kg". */
function fruit(
  en: string,
  vi: string,
  pricePer500g: number,
  makers: Maker[],
  kinds: Variant[],
  /** Weights to sell by, or explicit sizes for fruit sold by the piece. */
  sizes: string[] | Size[] = ['500g', '1kg', '2kg'],
): ProductLine {
  return line({
    en: `{maker} {variant} ${en} {size}`,
    vi: `${vi} {variant} {maker} {size}`,
    makers,
    variants: kinds,
    sizes: [
      ...(sizes.every((s): s is string => typeof s === 'string') ? weighed(pricePer500g, sizes) : sizes),
      // Fruit is a common gift in Vietnam (Tết, visits), so every fruit also comes boxed.
      size2('Gift box 3kg', 'hộp quà 3kg', pricePer500g * 6 * 1.15, 'box'),
    ],
    eligible: DIET.produce,
    tags: ['fruit', slug(en)],
  });
}

const k = (en: string, vi: string, price = 1) => variant(en, vi, { price });

const usa = imported('US', 'Mỹ', 'US', 1.1);
const australia = imported('Australian', 'Úc', 'AU', 1.1);
const newZealand = imported('New Zealand', 'New Zealand', 'NZ', 1.15);
const japan = imported('Japanese', 'Nhật Bản', 'JP', 1.8);
const korea = imported('Korean', 'Hàn Quốc', 'KR', 1.5);
const chile = imported('Chilean', 'Chile', 'CL');
const southAfrica = imported('South African', 'Nam Phi', 'ZA');
const peru = imported('Peruvian', 'Peru', 'PE', 1.1);
const egypt = imported('Egyptian', 'Ai Cập', 'EG', 0.9);
const canada = imported('Canadian', 'Canada', 'CA', 1.1);

export const fruitDepartment: Department = {
  slug: 'fruit',
  en: 'Fruit',
  vi: 'Trái cây',
  leaves: [
    {
      slug: 'vietnamese',
      en: 'Vietnamese fruit',
      vi: 'Trái cây Việt Nam',
      weight: 6,
      storage: 'produce',
      perishable: true,
      shelfLifeDays: 7,
      lines: [
        fruit(
          'Mangoes',
          'Xoài',
          35000,
          [origin('Tiền Giang'), origin('Đồng Tháp'), origin('Cam Lâm'), origin('An Giang')],
          [
            k('Cát Hòa Lộc', 'cát Hòa Lộc', 1.4),
            k('Cát Chu', 'cát Chu'),
            k('Keo', 'keo', 0.7),
            k('Tứ Quý', 'Tứ Quý', 0.9),
            ORGANIC,
          ],
        ),
        fruit(
          'Pomelos',
          'Bưởi',
          30000,
          [origin('Bến Tre'), origin('Vĩnh Long'), origin('Hậu Giang'), origin('Đồng Nai')],
          [k('Green-skin', 'da xanh', 1.2), k('Năm Roi', 'Năm Roi'), k('Diễn', 'Diễn', 1.1), VIETGAP],
          ['1kg', '2kg', '3kg'],
        ),
        fruit(
          'Dragon Fruit',
          'Thanh long',
          20000,
          [origin('Bình Thuận'), origin('Long An'), origin('Tiền Giang')],
          [k('White-flesh', 'ruột trắng'), k('Red-flesh', 'ruột đỏ', 1.3), k('Yellow', 'vàng', 2), VIETGAP],
        ),
        fruit(
          'Lychees',
          'Vải thiều',
          40000,
          [origin('Lục Ngạn'), origin('Thanh Hà')],
          [PLAIN, VIETGAP, k('Premium', 'loại 1', 1.3)],
        ),
        fruit(
          'Longans',
          'Nhãn',
          35000,
          [origin('Hưng Yên'), origin('Tiền Giang'), origin('Sơn La')],
          [k('Lồng', 'lồng', 1.3), k('Ido', 'Ido'), k('Xuồng', 'xuồng cơm vàng', 1.2)],
        ),
        fruit(
          'Durians',
          'Sầu riêng',
          90000,
          [origin('Đắk Lắk'), origin('Tiền Giang'), origin('Bến Tre'), origin('Đồng Nai')],
          [
            k('Ri6', 'Ri6'),
            k('Monthong', 'Dona', 1.15),
            k('Musang King', 'Musang King', 1.8),
            k('Peeled Ri6 Segments', 'Ri6 tách múi', 1.5),
          ],
        ),
        fruit(
          'Mangosteens',
          'Măng cụt',
          45000,
          [origin('Lái Thiêu'), origin('Bến Tre')],
          [PLAIN, VIETGAP, k('Premium', 'loại 1', 1.3)],
        ),
        fruit(
          'Rambutans',
          'Chôm chôm',
          25000,
          [origin('Đồng Nai'), origin('Bến Tre'), origin('Vĩnh Long')],
          [k('Java', 'Java'), k('Thai', 'Thái', 1.3), k('Rongrien', 'nhãn', 1.4)],
        ),
        fruit(
          'Bananas',
          'Chuối',
          15000,
          [origin('Đồng Nai'), origin('Tiền Giang'), origin('Lâm Đồng')],
          [k('Cavendish', 'già Nam Mỹ'), k('Lady Finger', 'cau', 1.2), k('Silk', 'sứ', 0.9), ORGANIC],
        ),
        fruit(
          'Papayas',
          'Đu đủ',
          15000,
          [origin('Đồng Nai'), origin('Tiền Giang')],
          [k('Red-flesh', 'ruột đỏ'), k('Green', 'xanh', 0.8), VIETGAP],
        ),
        fruit(
          'Guavas',
          'Ổi',
          18000,
          [origin('Tiền Giang'), origin('Đồng Nai'), origin('Hà Nội')],
          [k('Queen', 'nữ hoàng'), k('Red-flesh', 'ruột đỏ', 1.2), k('Pear', 'lê', 1.1), VIETGAP],
        ),
        fruit(
          'Watermelons',
          'Dưa hấu',
          10000,
          [origin('Long An'), origin('Tiền Giang'), origin('Quảng Ngãi')],
          [k('Seedless', 'không hạt', 1.3), k('Red-flesh', 'ruột đỏ'), k('Yellow-flesh', 'ruột vàng', 1.3)],
          ['2kg', '3kg'],
        ),
        fruit(
          'Coconuts',
          'Dừa',
          15000,
          [origin('Bến Tre'), origin('Trà Vinh')],
          [k('Green', 'xiêm xanh'), k('Wax', 'sáp', 6), k('Trimmed Young', 'gọt sẵn', 1.3)],
          [
            size2('1 coconut', '1 trái', 18000, 'piece'),
            size2('Bag of 3', 'túi 3 trái', 50000, 'bag'),
            size2('Bag of 6', 'túi 6 trái', 95000, 'bag'),
          ],
        ),
        fruit(
          'Oranges',
          'Cam',
          25000,
          [origin('Vĩnh Long'), origin('Hà Giang'), origin('Nghệ An'), origin('Hòa Bình')],
          [k('King', 'sành'), k('Xoàn', 'xoàn', 1.4), k('Vinh', 'Vinh', 1.2), VIETGAP],
        ),
        fruit(
          'Mandarins',
          'Quýt',
          30000,
          [origin('Lai Vung'), origin('Bắc Kạn')],
          [k('Sweet', 'đường'), k('Pink', 'hồng', 1.3), VIETGAP],
        ),
        fruit(
          'Star Apples',
          'Vú sữa',
          35000,
          [origin('Lò Rèn'), origin('Tiền Giang')],
          [k('Green', 'xanh'), k('Purple', 'tím', 1.1), VIETGAP],
        ),
        fruit(
          'Pineapples',
          'Khóm',
          12000,
          [origin('Cầu Đúc'), origin('Tiền Giang'), origin('Đồng Giao')],
          [k('Queen', 'Queen'), k('MD2', 'MD2', 1.3), VIETGAP],
          ['1kg', '2kg', '3kg'],
        ),
        fruit(
          'Avocados',
          'Bơ',
          30000,
          [origin('Đắk Lắk'), origin('Lâm Đồng'), origin('Đắk Nông')],
          [k('Booth', 'booth'), k('034', '034', 1.3), k('Hass', 'Hass', 1.6)],
        ),
        fruit(
          'Passion Fruit',
          'Chanh dây',
          20000,
          [origin('Đắk Nông'), origin('Lâm Đồng'), origin('Gia Lai')],
          [k('Purple', 'tím'), k('Yellow', 'vàng', 1.3), VIETGAP],
        ),
        fruit(
          'Limes',
          'Chanh',
          15000,
          [origin('Long An'), origin('Tiền Giang'), origin('Hậu Giang')],
          [k('Seedless', 'không hạt'), k('Key', 'ta', 1.1), VIETGAP],
          ['250g', '500g', '1kg'],
        ),
        fruit(
          'Jackfruit',
          'Mít',
          20000,
          [origin('Tiền Giang'), origin('Đồng Nai')],
          [k('Thai', 'Thái'), k('Peeled Segments', 'tách múi', 1.8), k('Honey', 'mật', 1.2)],
        ),
        fruit(
          'Strawberries',
          'Dâu tây',
          80000,
          [origin('Đà Lạt'), origin('Mộc Châu'), brand('Đà Lạt GAP', 'Công ty TNHH Đà Lạt GAP', 1.3)],
          [PLAIN, VIETGAP, ORGANIC],
          ['250g', '500g', '1kg'],
        ),
      ],
    },
    {
      slug: 'imported',
      en: 'Imported fruit',
      vi: 'Trái cây nhập khẩu',
      weight: 4,
      storage: 'chilled',
      perishable: true,
      shelfLifeDays: 21,
      lines: [
        fruit(
          'Apples',
          'Táo',
          45000,
          [usa, newZealand, japan, southAfrica, chile],
          [
            k('Gala', 'Gala'),
            k('Fuji', 'Fuji'),
            k('Envy', 'Envy', 1.5),
            k('Jazz', 'Jazz', 1.3),
            k('Granny Smith', 'xanh Granny Smith'),
            k('Pink Lady', 'Pink Lady', 1.3),
            k('Red Delicious', 'đỏ Mỹ'),
            ORGANIC,
          ],
        ),
        fruit(
          'Grapes',
          'Nho',
          90000,
          [australia, usa, chile, peru, korea],
          [
            k('Green Seedless', 'xanh không hạt'),
            k('Red Seedless', 'đỏ không hạt'),
            k('Black Seedless', 'đen không hạt', 1.1),
            k('Shine Muscat', 'mẫu đơn Shine Muscat', 2.2),
            k('Cotton Candy', 'kẹo bông gòn', 1.6),
          ],
        ),
        fruit(
          'Kiwifruit',
          'Kiwi',
          70000,
          [newZealand, brand('Zespri', 'Zespri International', 1.3, 'NZ'), chile],
          [k('Green', 'xanh'), k('Gold', 'vàng', 1.3), k('Red', 'đỏ', 1.6)],
          ['500g', '1kg'],
        ),
        fruit(
          'Cherries',
          'Cherry',
          250000,
          [usa, australia, chile, canada, newZealand],
          [k('Dark Red', 'đỏ'), k('Rainier', 'vàng Rainier', 1.3), k('Jumbo', 'size lớn', 1.2)],
          ['250g', '500g', '1kg'],
        ),
        fruit(
          'Oranges',
          'Cam',
          45000,
          [australia, usa, egypt, southAfrica],
          [k('Navel', 'Navel'), k('Valencia', 'Valencia'), k('Cara Cara', 'ruột đỏ Cara Cara', 1.3)],
        ),
        fruit(
          'Pears',
          'Lê',
          55000,
          [korea, japan, usa, southAfrica],
          [k('Nashi', 'Nashi'), k('Packham', 'xanh Packham', 0.9), k('Red Anjou', 'đỏ Anjou')],
        ),
        fruit(
          'Blueberries',
          'Việt quất',
          150000,
          [peru, usa, australia, chile],
          [PLAIN, k('Jumbo', 'size lớn', 1.3), ORGANIC],
          ['250g', '500g'],
        ),
        fruit(
          'Mandarins',
          'Quýt',
          50000,
          [australia, southAfrica, egypt],
          [k('Imperial', 'Imperial'), k('Murcott', 'Murcott', 1.1), k('Seedless', 'không hạt', 1.2)],
        ),
        fruit(
          'Strawberries',
          'Dâu tây',
          180000,
          [korea, japan, usa],
          [PLAIN, k('Premium', 'loại 1', 1.5)],
          ['250g', '500g'],
        ),
        line({
          en: '{maker} {variant} Melons {size}',
          vi: 'Dưa lưới {variant} {maker} {size}',
          makers: [japan, korea],
          variants: [k('Musk', 'Musk', 1.5), k('Honeydew', 'ruột xanh'), k('Cantaloupe', 'ruột cam')],
          sizes: [size2('1 melon (about 1.5kg)', '1 trái (khoảng 1,5kg)', 150000, 'piece')],
          eligible: DIET.produce,
          tags: ['fruit', 'melons'],
        }),
      ],
    },
  ],
};
