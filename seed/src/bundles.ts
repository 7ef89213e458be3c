// Meal kits and gift boxes made of the generated catalog's products. Each recipe names the
// ingredients it wants by category and name; a kit is made only when its core ingredients are in
// the catalog (a small catalog has fewer kits), in a size for 2 and one for 4, priced 8-15% below
// its components bought singly. The same catalog and seed always give the same kits.
import { createHash } from 'node:crypto';
import type { SeedBundle, SeedProduct } from './model';
import { createRandom } from './random';

interface Ingredient {
  /** Leaf category id. */
  category: string;
  /** Matched against the English name; any product of the category when absent. */
  name?: RegExp;
  /** Units in the kit for 2. */
  quantity?: number;
  /** Without it there is no kit. */
  core?: boolean;
}

interface Recipe {
  slug: string;
  en: string;
  vi: string;
  aboutEn: string;
  aboutVi: string;
  /** Kits that feed people come for 2 and for 4; boxes come in one size. */
  serves: boolean;
  ingredients: Ingredient[];
}

const c = (category: string, name?: RegExp, quantity = 1, core = false): Ingredient => ({
  category: `cat-${category}`,
  name,
  quantity,
  core,
});
const core = (category: string, name?: RegExp, quantity = 1) => c(category, name, quantity, true);

/** Fruit people give: not the limes and guavas of everyday shopping. */
const GIFT_FRUIT =
  /mango|dragon|mangosteen|rambutan|longan|lychee|pomelo|durian|avocado|grape|apple|pear|orange|mandarin/i;

export const RECIPES: readonly Recipe[] = [
  {
    slug: 'thai-hot-pot-kit',
    en: 'Thai Hot Pot Kit',
    vi: 'Bộ lẩu Thái',
    aboutEn: 'Sour, spicy Thai hot pot with seafood, mushrooms and greens.',
    aboutVi: 'Lẩu Thái chua cay với hải sản, nấm và rau.',
    serves: true,
    ingredients: [
      core('seafood-shrimp-squid', /shrimp|prawn|squid/i),
      core('vegetables-mushrooms'),
      c('vegetables-leafy-greens', /water spinach|cabbage|mustard|chrysanthemum|bok choy/i),
      c('vegetables-herbs', /lemongrass|galangal|chillies/i),
      c('rice-noodles-dry-noodles', /vermicelli/i),
      c('condiments-sauces', /chilli/i),
    ],
  },
  {
    slug: 'beef-pho-kit',
    en: 'Beef Phở Kit',
    vi: 'Bộ nấu phở bò',
    aboutEn: 'Rice noodles, beef and the herbs for a Hanoi-style bowl of phở.',
    aboutVi: 'Bánh phở, thịt bò và rau thơm cho tô phở kiểu Hà Nội.',
    serves: true,
    ingredients: [
      core('meat-beef', /brisket|shank|flank|tenderloin|striploin|chuck/i),
      core('rice-noodles-dry-noodles', /pho/i),
      c('vegetables-herbs', /thai basil|coriander|spring onions|ginger/i),
      c('vegetables-leafy-greens', /bean sprouts/i),
      c('condiments-sauces', /hoisin|chilli sauce/i),
      c('condiments-fish-sauce'),
    ],
  },
  {
    slug: 'sour-fish-soup-kit',
    en: 'Sour Fish Soup Kit',
    vi: 'Bộ canh chua cá',
    aboutEn: 'Southern canh chua: fish, tomato, pineapple and herbs.',
    aboutVi: 'Canh chua miền Nam: cá, cà chua, thơm và rau thơm.',
    serves: true,
    ingredients: [
      core('seafood-fish', /snakehead|basa|tilapia|barramundi|mackerel/i),
      core('vegetables-roots-fruiting', /tomato|okra/i),
      c('vegetables-leafy-greens', /bean sprouts/i),
      c('vegetables-herbs', /sawtooth|coriander|fish mint|chillies/i),
      c('pantry-canned-fruit-veg', /pineapple/i),
      c('condiments-fish-sauce'),
    ],
  },
  {
    slug: 'bun-cha-kit',
    en: 'Bún Chả Kit',
    vi: 'Bộ bún chả Hà Nội',
    aboutEn: 'Grilled pork with rice vermicelli, herbs and dipping fish sauce.',
    aboutVi: 'Chả nướng ăn với bún, rau sống và nước mắm chua ngọt.',
    serves: true,
    ingredients: [
      core('meat-pork', /minced|belly|collar|shoulder/i),
      core('rice-noodles-dry-noodles', /vermicelli/i),
      c('vegetables-leafy-greens', /lettuce/i),
      c('vegetables-herbs', /perilla|mint|coriander/i),
      c('condiments-fish-sauce'),
      c('vegetables-roots-fruiting', /carrot|garlic|radish/i),
    ],
  },
  {
    slug: 'fresh-spring-roll-kit',
    en: 'Fresh Spring Roll Kit',
    vi: 'Bộ gỏi cuốn',
    aboutEn: 'Rice paper, shrimp, pork, vermicelli and herbs to roll at the table.',
    aboutVi: 'Bánh tráng, tôm, thịt, bún và rau sống để cuốn tại bàn.',
    serves: true,
    ingredients: [
      core('rice-noodles-dry-noodles', /rice paper/i),
      core('seafood-shrimp-squid', /shrimp|prawn/i),
      c('meat-pork', /belly|shoulder|leg/i),
      c('vegetables-leafy-greens', /lettuce/i),
      c('vegetables-herbs', /mint|perilla|thai basil/i),
      c('condiments-sauces', /hoisin/i),
    ],
  },
  {
    slug: 'beef-stew-kit',
    en: 'Beef Stew Kit',
    vi: 'Bộ bò kho',
    aboutEn: 'Bò kho: beef braised with lemongrass and carrots, with baguettes.',
    aboutVi: 'Bò kho sả và cà rốt, ăn kèm bánh mì.',
    serves: true,
    ingredients: [
      core('meat-beef', /brisket|shank|chuck|flank/i),
      core('vegetables-roots-fruiting', /carrot/i),
      c('vegetables-herbs', /lemongrass|ginger/i),
      c('bakery-bread', /baguette/i),
      c('condiments-seasoning', /beef|pepper/i),
    ],
  },
  {
    slug: 'ginger-chicken-kit',
    en: 'Caramelised Ginger Chicken Kit',
    vi: 'Bộ gà kho gừng',
    aboutEn: 'Chicken braised with ginger in fish sauce caramel, with rice.',
    aboutVi: 'Gà kho gừng nước mắm, ăn với cơm trắng.',
    serves: true,
    ingredients: [
      core('meat-poultry', /chicken (thighs|drumsticks|wings|breast)|whole chicken/i),
      core('vegetables-herbs', /ginger/i),
      c('condiments-fish-sauce'),
      c('condiments-seasoning', /sugar|pepper/i),
      c('rice-noodles-rice'),
    ],
  },
  {
    slug: 'fried-rice-kit',
    en: 'Fried Rice Kit',
    vi: 'Bộ cơm chiên',
    aboutEn: 'Rice, eggs, sausage and vegetables for a quick fried rice.',
    aboutVi: 'Gạo, trứng, lạp xưởng và rau củ cho món cơm chiên nhanh.',
    serves: true,
    ingredients: [
      core('rice-noodles-rice'),
      core('dairy-eggs'),
      c('meat-cold-cuts', /sausage|bacon|ham/i),
      c('vegetables-roots-fruiting', /carrot|corn|onion/i),
      c('condiments-soy-sauce'),
      c('condiments-cooking-oil'),
    ],
  },
  {
    slug: 'spaghetti-bolognese-kit',
    en: 'Spaghetti Bolognese Kit',
    vi: 'Bộ mì Ý sốt bò bằm',
    aboutEn: 'Pasta with a minced beef and tomato sauce, finished with cheese.',
    aboutVi: 'Mì Ý sốt thịt bò bằm cà chua, rắc phô mai.',
    serves: true,
    ingredients: [
      core('rice-noodles-pasta-flour', /spaghetti|penne|macaroni|fusilli/i),
      core('meat-beef', /minced/i),
      c('vegetables-roots-fruiting', /tomato|onion/i),
      c('dairy-cheese-butter', /parmesan|mozzarella|cheddar/i),
      c('condiments-sauces', /ketchup/i),
    ],
  },
  {
    slug: 'vegetarian-tofu-meal-kit',
    en: 'Vegetarian Tofu Meal Kit',
    vi: 'Bộ mâm cơm chay',
    aboutEn: 'Tofu, greens and mushrooms for a plant-based family meal.',
    aboutVi: 'Đậu hũ, rau xanh và nấm cho bữa cơm chay gia đình.',
    serves: true,
    ingredients: [
      core('vegetables-tofu', /tofu/i),
      core('vegetables-leafy-greens'),
      c('vegetables-mushrooms'),
      c('condiments-soy-sauce'),
      c('rice-noodles-rice'),
    ],
  },
  {
    slug: 'mushroom-hot-pot-kit',
    en: 'Mushroom Hot Pot Kit',
    vi: 'Bộ lẩu nấm chay',
    aboutEn: 'A vegetarian hot pot of mixed mushrooms, tofu and greens.',
    aboutVi: 'Lẩu chay với nhiều loại nấm, đậu hũ và rau.',
    serves: true,
    ingredients: [
      core('vegetables-mushrooms', undefined, 2),
      core('vegetables-tofu'),
      c('vegetables-leafy-greens', /cabbage|bok choy|chrysanthemum|mustard/i),
      c('rice-noodles-dry-noodles'),
      c('condiments-seasoning', /vegetarian|mushroom/i),
    ],
  },
  {
    slug: 'seafood-hot-pot-kit',
    en: 'Seafood Hot Pot Kit',
    vi: 'Bộ lẩu hải sản',
    aboutEn: 'Shrimp, squid, fish and fish balls with greens and noodles.',
    aboutVi: 'Tôm, mực, cá và cá viên ăn kèm rau và bún.',
    serves: true,
    ingredients: [
      core('seafood-shrimp-squid'),
      core('seafood-fish'),
      c('seafood-shellfish'),
      c('frozen-frozen-meat-seafood', /fish balls|fish tofu/i),
      c('vegetables-leafy-greens'),
      c('vegetables-mushrooms'),
      c('rice-noodles-dry-noodles', /vermicelli/i),
    ],
  },
  {
    slug: 'grill-night-kit',
    en: 'Grill Night Kit',
    vi: 'Bộ nướng BBQ',
    aboutEn: 'Pork and beef for the grill, vegetables, sauce and cold beer.',
    aboutVi: 'Thịt heo, thịt bò để nướng, rau củ, nước chấm và bia lạnh.',
    serves: true,
    ingredients: [
      core('meat-pork', /belly|collar|ribs/i),
      core('meat-beef', /short plate|ribeye|short ribs|striploin/i),
      c('vegetables-roots-fruiting', /corn|okra|bell pepper|eggplant/i),
      c('condiments-sauces', /chilli|satay/i),
      c('beverages-beer', undefined, 4),
    ],
  },
  {
    slug: 'dumpling-dinner-kit',
    en: 'Dumpling Dinner Kit',
    vi: 'Bộ há cảo',
    aboutEn: 'Frozen dumplings with greens and dipping sauces.',
    aboutVi: 'Há cảo đông lạnh ăn kèm rau xanh và nước chấm.',
    serves: true,
    ingredients: [
      core('frozen-dumplings-spring-rolls'),
      core('condiments-soy-sauce'),
      c('vegetables-leafy-greens', /bok choy|choy sum/i),
      c('condiments-sauces', /chilli/i),
    ],
  },
  {
    slug: 'instant-noodle-night-kit',
    en: 'Instant Noodle Night Kit',
    vi: 'Bộ mì gói nâng cấp',
    aboutEn: 'Instant noodles made a meal with eggs, meatballs and greens.',
    aboutVi: 'Mì gói thêm trứng, bò viên và rau xanh.',
    serves: true,
    ingredients: [
      core('rice-noodles-instant-noodles', undefined, 2),
      core('dairy-eggs'),
      c('frozen-frozen-meat-seafood', /balls/i),
      c('vegetables-leafy-greens', /bok choy|choy sum|water spinach/i),
    ],
  },
  {
    slug: 'breakfast-box',
    en: 'Breakfast Box',
    vi: 'Hộp bữa sáng',
    aboutEn: 'Bread, eggs, milk and butter for a week of breakfasts.',
    aboutVi: 'Bánh mì, trứng, sữa và bơ cho bữa sáng cả tuần.',
    serves: true,
    ingredients: [
      core('bakery-bread'),
      core('dairy-eggs'),
      c('dairy-fresh-milk', undefined, 2),
      c('dairy-cheese-butter', /butter|cheese/i),
      c('pantry-spreads-honey'),
    ],
  },
  {
    slug: 'yogurt-breakfast-box',
    en: 'Yogurt & Granola Breakfast Box',
    vi: 'Hộp sữa chua ngũ cốc',
    aboutEn: 'Yogurt, cereal, honey and fresh fruit.',
    aboutVi: 'Sữa chua, ngũ cốc, mật ong và trái cây tươi.',
    serves: true,
    ingredients: [
      core('dairy-yogurt', undefined, 4),
      core('pantry-cereals'),
      c('pantry-spreads-honey', /honey/i),
      c('fruit-vietnamese', GIFT_FRUIT),
    ],
  },
  {
    slug: 'coffee-break-box',
    en: 'Coffee Break Box',
    vi: 'Hộp cà phê sáng',
    aboutEn: 'Vietnamese coffee, condensed milk and something sweet.',
    aboutVi: 'Cà phê Việt, sữa đặc và bánh ngọt.',
    serves: false,
    ingredients: [
      core('coffee-tea-ground-coffee'),
      c('coffee-tea-instant-coffee'),
      c('dairy-condensed-powdered-milk', /condensed/i),
      c('snacks-biscuits'),
      c('bakery-cakes'),
    ],
  },
  {
    slug: 'tea-time-box',
    en: 'Tea Time Box',
    vi: 'Hộp trà chiều',
    aboutEn: 'Tea, cakes, biscuits and honey for an afternoon break.',
    aboutVi: 'Trà, bánh ngọt, bánh quy và mật ong cho buổi chiều.',
    serves: false,
    ingredients: [
      core('coffee-tea-tea'),
      core('bakery-cakes'),
      c('snacks-biscuits'),
      c('pantry-spreads-honey', /honey/i),
    ],
  },
  {
    slug: 'movie-night-snack-box',
    en: 'Movie Night Snack Box',
    vi: 'Hộp ăn vặt xem phim',
    aboutEn: 'Crisps, sweets, nuts and cold drinks.',
    aboutVi: 'Snack, kẹo, hạt và nước ngọt.',
    serves: false,
    ingredients: [
      core('snacks-crisps', undefined, 2),
      core('beverages-soft-drinks', undefined, 4),
      c('snacks-candy-chocolate'),
      c('snacks-nuts-dried-fruit'),
    ],
  },
  {
    slug: 'fruit-gift-box',
    en: 'Fruit Gift Box',
    vi: 'Giỏ trái cây',
    aboutEn: 'Vietnamese and imported fruit in one box.',
    aboutVi: 'Trái cây Việt và trái cây nhập khẩu trong một hộp.',
    serves: false,
    ingredients: [
      core('fruit-vietnamese', GIFT_FRUIT),
      core('fruit-imported', GIFT_FRUIT),
      c('fruit-imported', GIFT_FRUIT),
    ],
  },
  {
    slug: 'home-cleaning-set',
    en: 'Home Cleaning Set',
    vi: 'Bộ vệ sinh nhà cửa',
    aboutEn: 'Everything to clean the kitchen, the floors and the laundry.',
    aboutVi: 'Đủ để lau nhà, rửa chén và giặt đồ.',
    serves: false,
    ingredients: [
      core('household-cleaning'),
      core('household-dishwashing'),
      c('household-laundry'),
      c('household-paper'),
    ],
  },
  {
    slug: 'personal-care-set',
    en: 'Personal Care Set',
    vi: 'Bộ chăm sóc cá nhân',
    aboutEn: 'Shampoo, body wash, toothpaste and lotion.',
    aboutVi: 'Dầu gội, sữa tắm, kem đánh răng và sữa dưỡng thể.',
    serves: false,
    ingredients: [
      core('personal-care-hair'),
      core('personal-care-bath-body'),
      c('personal-care-oral'),
      c('personal-care-skin'),
    ],
  },
  {
    slug: 'baby-starter-box',
    en: 'Baby Starter Box',
    vi: 'Hộp chăm bé',
    aboutEn: 'Formula and diapers for the first weeks.',
    aboutVi: 'Sữa công thức và tã cho những tuần đầu.',
    serves: false,
    ingredients: [core('baby-formula'), core('baby-diapers')],
  },
];

/** A UUID derived from the seed and slug, so a reload finds the same rows. */
function bundleId(seed: number, slug: string): string {
  const h = createHash('sha256').update(`bundle:${seed}:${slug}`).digest('hex');
  // Version 4 layout and variant bits: a well-formed UUID whatever reads it.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function candidates(byCategory: Map<string, SeedProduct[]>, ingredient: Ingredient): SeedProduct[] {
  return (byCategory.get(ingredient.category) ?? []).filter(
    (p) => p.packCount === 1 && (!ingredient.name || ingredient.name.test(p.nameEn)),
  );
}

export function generateBundles(products: readonly SeedProduct[], seed: number): SeedBundle[] {
  const byCategory = new Map<string, SeedProduct[]>();
  for (const p of products) {
    const list = byCategory.get(p.categoryId) ?? [];
    list.push(p);
    byCategory.set(p.categoryId, list);
  }
  // Cheapest first (ties by SKU): a kit holds a household size, not the 2 kg catering pack.
  for (const list of byCategory.values())
    list.sort((a, b) => a.priceAmount - b.priceAmount || (a.sku < b.sku ? -1 : 1));

  const bundles: SeedBundle[] = [];
  for (const recipe of RECIPES) {
    for (const people of recipe.serves ? [2, 4] : [0]) {
      const slug = people ? `${recipe.slug}-${people}` : recipe.slug;
      const random = createRandom(seed, `bundle:${slug}`);
      const chosen = new Map<string, { product: SeedProduct; quantity: number }>();
      let missingCore = false;
      for (const ingredient of recipe.ingredients) {
        const options = candidates(byCategory, ingredient).filter((p) => !chosen.has(p.sku));
        if (options.length === 0) {
          if (ingredient.core) missingCore = true;
          continue;
        }
        const product = random.pick(options.slice(0, 3));
        const quantity = Math.min(99, (ingredient.quantity ?? 1) * (people === 4 ? 2 : 1));
        chosen.set(product.sku, { product, quantity });
      }
      if (missingCore || chosen.size < 2) continue;
      const components = [...chosen.values()];
      const regularTotal = components.reduce((sum, x) => sum + x.product.priceAmount * x.quantity, 0);
      const discount = 0.08 + random.int(8) / 100;
      // Whole 1,000 VND, as shops price kits, and always below the components' total.
      const priceAmount = Math.min(Math.floor((regularTotal * (1 - discount)) / 1000) * 1000, regularTotal - 1000);
      if (priceAmount <= 0) continue;
      const names = components.map((x) => x.product);
      bundles.push({
        id: bundleId(seed, slug),
        slug,
        nameEn: people ? `${recipe.en} for ${people}` : recipe.en,
        nameVi: people ? `${recipe.vi} cho ${people} người` : recipe.vi,
        descriptionEn: `${recipe.aboutEn} Contains: ${names.map((p) => p.nameEn).join(', ')}.`,
        descriptionVi: `${recipe.aboutVi} Gồm: ${names.map((p) => p.nameVi).join(', ')}.`,
        priceAmount,
        priceCurrency: 'VND',
        imageUrls: [`/images/bundles/${slug}.jpg`],
        items: components.map((x) => ({ sku: x.product.sku, quantity: x.quantity })),
      });
    }
  }
  return bundles;
}
