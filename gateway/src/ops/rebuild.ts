// The projections `pnpm ops rebuild` knows, each rebuilt from its source by the code of the
// domains involved (subgraphs/products/src/projections/rebuild.ts says from what).
import type { Config } from '@grocery/platform';
import { rebuildInStock, rebuildRatings, rebuildSales, rebuildSearchIndex } from '@grocery/products';
import { allStockLevels } from '@grocery/stock';

export const PROJECTIONS = ['in-stock', 'ratings', 'sales', 'search-index'] as const;
export type ProjectionName = (typeof PROJECTIONS)[number];

export interface RebuildContext {
  config: Config;
  databaseUrl: (domain: string) => string;
  progress: (line: string) => void;
}

export async function rebuildProjection(name: ProjectionName, ctx: RebuildContext): Promise<string> {
  switch (name) {
    case 'in-stock': {
      const r = await rebuildInStock(
        ctx.databaseUrl('products'),
        allStockLevels(ctx.databaseUrl('stock')),
        ctx.progress,
      );
      return `${r.levels} stock levels from stock, ${r.written} projection rows written (rows a live event had moved past kept)`;
    }
    case 'ratings': {
      const r = await rebuildRatings(ctx.databaseUrl('products'));
      return `${r.products} products recounted from their reviews, ${r.changed} changed`;
    }
    case 'sales': {
      const r = await rebuildSales(ctx.databaseUrl('products'));
      return r.lines === 0
        ? 'no order lines kept; nothing to rebuild'
        : `summed again from ${r.lines} order lines over ${r.days} day(s) (cached rankings follow within 60 s)`;
    }
    case 'search-index':
      return rebuildSearchIndex(ctx.databaseUrl('products'), ctx.config.ELASTICSEARCH_URL, ctx.progress);
  }
}
