// Promotions as staff enter them: a flat form (a kind plus the fields that kind uses) that maps
// one-to-one onto the pricing domain's PromotionRule, and the rules for saving one.
import { AppError, ErrorCode } from '@grocery/platform';
import {
  normalizeCouponCode,
  validatePromotion,
  type Promotion,
  type PromotionError,
  type PromotionRule,
  type PromotionType,
} from './pricing';

/** A saved promotion: the pricing domain's Promotion plus its bookkeeping. */
export interface PromotionRecord extends Promotion {
  archivedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Every field a rule can use; which ones apply depends on `kind`. */
export interface PromotionRuleForm {
  kind: PromotionType;
  skus?: string[] | null;
  categoryIds?: string[] | null;
  percent?: number | null;
  /** Off each unit (SKU/category discount) or off the order (order threshold). */
  amount?: number | null;
  maxDiscount?: number | null;
  unitPrice?: number | null;
  withinDays?: number | null;
  buy?: number | null;
  get?: number | null;
  mode?: 'same_sku' | 'cheapest_in_set' | null;
  minQuantity?: number | null;
  minSubtotal?: number | null;
}

export interface PromotionForm extends PromotionRuleForm {
  nameEn: string;
  nameVi: string;
  validFrom: Date;
  validUntil: Date;
  active: boolean;
  couponCode?: string | null;
  usageLimit?: number | null;
  perCustomerLimit?: number | null;
  priority: number;
  stackable: boolean;
}

type RuleField = Exclude<keyof PromotionRuleForm, 'kind'>;

const FIELDS_OF: Record<PromotionType, RuleField[]> = {
  sku_discount: ['skus', 'percent', 'amount'],
  category_discount: ['categoryIds', 'percent', 'amount'],
  near_expiry: ['withinDays', 'percent'],
  buy_x_get_y: ['skus', 'buy', 'get', 'mode'],
  bulk: ['skus', 'minQuantity', 'percent', 'unitPrice'],
  order_threshold: ['minSubtotal', 'percent', 'maxDiscount', 'amount'],
};
const RULE_FIELDS: RuleField[] = [
  'skus',
  'categoryIds',
  'percent',
  'amount',
  'maxDiscount',
  'unitPrice',
  'withinDays',
  'buy',
  'get',
  'mode',
  'minQuantity',
  'minSubtotal',
];

const given = <T>(v: T | null | undefined): v is T => v !== null && v !== undefined;
const orUndefined = <T>(v: T | null | undefined): T | undefined => (given(v) ? v : undefined);

function invalid(errors: PromotionError[]): AppError {
  const [first] = errors;
  return new AppError(ErrorCode.BAD_USER_INPUT, `${first.field} ${first.message}.`, { field: first.field, errors });
}

/** Builds the rule, or fails on a field the kind does not use or on two competing discounts. */
function ruleFromForm(f: PromotionRuleForm): PromotionRule {
  const errors: PromotionError[] = [];
  const allowed = FIELDS_OF[f.kind];
  if (!allowed) throw invalid([{ field: 'kind', code: 'INVALID_CHOICE', message: 'is not a promotion kind' }]);
  for (const field of RULE_FIELDS)
    if (given(f[field]) && !allowed.includes(field))
      errors.push({ field, code: 'INVALID_CHOICE', message: `does not apply to ${f.kind}` });
  const oneOf = (a: RuleField, b: RuleField) => {
    if (given(f[a]) && given(f[b]))
      errors.push({ field: b, code: 'INVALID_CHOICE', message: `cannot be given with ${a}` });
    else if (!given(f[a]) && !given(f[b]))
      errors.push({ field: a, code: 'REQUIRED', message: `or ${b} must be given` });
  };
  const skus = f.skus ?? [];
  let rule: PromotionRule;
  switch (f.kind) {
    case 'sku_discount':
    case 'category_discount': {
      oneOf('percent', 'amount');
      const off = given(f.percent)
        ? { kind: 'percent' as const, percent: f.percent }
        : { kind: 'fixed' as const, amountPerUnit: f.amount as number };
      rule =
        f.kind === 'sku_discount'
          ? { type: f.kind, skus, off }
          : { type: f.kind, categoryIds: f.categoryIds ?? [], off };
      break;
    }
    case 'near_expiry':
      rule = { type: f.kind, withinDays: f.withinDays as number, percent: f.percent as number };
      break;
    case 'buy_x_get_y':
      rule = { type: f.kind, skus, buy: f.buy as number, get: f.get as number, mode: f.mode ?? 'same_sku' };
      break;
    case 'bulk':
      oneOf('percent', 'unitPrice');
      rule = {
        type: f.kind,
        skus,
        minQuantity: f.minQuantity as number,
        off: given(f.percent)
          ? { kind: 'percent', percent: f.percent }
          : { kind: 'unit_price', unitPrice: f.unitPrice as number },
      };
      break;
    case 'order_threshold':
      oneOf('percent', 'amount');
      if (given(f.maxDiscount) && !given(f.percent))
        errors.push({ field: 'maxDiscount', code: 'INVALID_CHOICE', message: 'applies to a percentage only' });
      rule = {
        type: f.kind,
        minSubtotal: f.minSubtotal as number,
        off: given(f.percent)
          ? { kind: 'percent', percent: f.percent, ...(given(f.maxDiscount) ? { maxDiscount: f.maxDiscount } : {}) }
          : { kind: 'fixed', amount: f.amount as number },
      };
      break;
  }
  if (errors.length > 0) throw invalid(errors);
  return rule;
}

/** validatePromotion's paths (`rule.off.percent`, `names.en`) as the form's field names. */
function formField(path: string): string {
  if (path === 'names.en') return 'nameEn';
  if (path === 'names.vi') return 'nameVi';
  if (path === 'rule.type') return 'kind';
  if (path === 'rule.off.kind') return 'percent';
  if (path === 'rule.off.amountPerUnit' || path === 'rule.off.amount') return 'amount';
  return path.replace(/^rule\.(off\.)?/, '');
}

/** The promotion to save, or BAD_USER_INPUT naming the first bad field (all of them in `errors`). */
export function promotionFromForm(id: string, f: PromotionForm): Promotion {
  const promotion: Promotion = {
    id,
    names: { en: f.nameEn?.trim(), vi: f.nameVi?.trim() },
    rule: ruleFromForm(f),
    validFrom: f.validFrom,
    validUntil: f.validUntil,
    active: f.active,
    couponCode: given(f.couponCode) ? normalizeCouponCode(f.couponCode) : undefined,
    usageLimit: orUndefined(f.usageLimit),
    perCustomerLimit: orUndefined(f.perCustomerLimit),
    priority: f.priority,
    stackable: f.stackable,
  };
  const errors = validatePromotion(promotion).map((e) => ({ ...e, field: formField(e.field) }));
  if (errors.length > 0) throw invalid(errors);
  return promotion;
}

/** The form's view of a rule (what the API shows of a saved promotion). */
export function formOfRule(rule: PromotionRule): PromotionRuleForm {
  switch (rule.type) {
    case 'sku_discount':
    case 'category_discount':
      return {
        kind: rule.type,
        ...(rule.type === 'sku_discount' ? { skus: rule.skus } : { categoryIds: rule.categoryIds }),
        ...(rule.off.kind === 'percent' ? { percent: rule.off.percent } : { amount: rule.off.amountPerUnit }),
      };
    case 'near_expiry':
      return { kind: rule.type, withinDays: rule.withinDays, percent: rule.percent };
    case 'buy_x_get_y':
      return { kind: rule.type, skus: rule.skus, buy: rule.buy, get: rule.get, mode: rule.mode };
    case 'bulk':
      return {
        kind: rule.type,
        skus: rule.skus,
        minQuantity: rule.minQuantity,
        ...(rule.off.kind === 'percent' ? { percent: rule.off.percent } : { unitPrice: rule.off.unitPrice }),
      };
    case 'order_threshold':
      return {
        kind: rule.type,
        minSubtotal: rule.minSubtotal,
        ...(rule.off.kind === 'percent'
          ? { percent: rule.off.percent, maxDiscount: rule.off.maxDiscount ?? null }
          : { amount: rule.off.amount }),
      };
  }
}
