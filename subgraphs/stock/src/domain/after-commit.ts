// What follows every committed stock write: the outbox relay is woken (the events go now) and
// no replica may serve the old availability.
import type { Logger } from '@grocery/platform';
import type { AvailabilityService } from './availability-service';
import type { StockChange } from './stock-change';

export type AfterCommit = (changes: readonly StockChange[]) => Promise<void>;

export function afterStockCommit(opts: {
  availability: AvailabilityService;
  wakeRelay: () => void;
  logger: Logger;
}): AfterCommit {
  return async (changes) => {
    if (changes.length === 0) return;
    opts.wakeRelay();
    try {
      await opts.availability.evict([...new Set(changes.map((c) => c.sku))]);
    } catch (err) {
      // The change is committed; failing the caller now would invite a duplicate retry. The
      // stock.level_changed consumer evicts again (with retries) once the event goes out.
      opts.logger.warn({ err, skus: changes.map((c) => c.sku) }, 'could not evict availability after a stock change');
    }
  };
}
