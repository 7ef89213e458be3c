// Product names from a line's templates: "{maker} Fresh Milk {variant} {size}" becomes
// "Vinamilk Fresh Milk 100% Unsweetened 1L"; multipacks add "(Pack of 4)" / "(lốc 4 hộp)".
import type { Offer } from './offers';

function fill(template: string, parts: Record<'maker' | 'variant' | 'size', string>): string {
  return template
    .replace(/\{(maker|variant|size)\}/g, (_, key: 'maker' | 'variant' | 'size') => parts[key])
    .replace(/\s+/g, ' ')
    .trim();
}

/** Vietnamese names start with a capital even when the template starts with a variant. */
function capitalise(text: string): string {
  return text.charAt(0).toLocaleUpperCase('vi') + text.slice(1);
}

export function productNames(offer: Offer): { en: string; vi: string } {
  const { line, maker, variant, size, pack } = offer;
  const en = fill(line.en, { maker: maker.en, variant: variant.en, size: size.en });
  const vi = capitalise(fill(line.vi, { maker: maker.vi, variant: variant.vi, size: size.vi }));
  if (!pack) return { en, vi };
  return { en: `${en} (${pack.en})`, vi: `${vi} (${pack.vi})` };
}
