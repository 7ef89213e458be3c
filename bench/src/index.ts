// `pnpm bench <name>`: benchmarks print their figures next to a baseline from the same run.
import { runCheckoutBench } from './checkout';
import { runContextBench } from './context';
import { runCostBench } from './cost';
import { runGatewayBench } from './gateway';
import { runPriceCartBench } from './pricecart';
import { runSearchBench } from './search';
import { runSlotsBench } from './slots';
import { runSubscriptionBench } from './subscription';

const benches: Record<string, () => Promise<unknown>> = {
  checkout: runCheckoutBench,
  context: runContextBench,
  cost: runCostBench,
  gateway: runGatewayBench,
  pricecart: runPriceCartBench,
  search: runSearchBench,
  slots: runSlotsBench,
  subscription: runSubscriptionBench,
};

const name = process.argv[2];
const run = name ? benches[name] : undefined;
if (!run) {
  console.error(`usage: pnpm bench <${Object.keys(benches).join('|')}>`);
  process.exit(2);
}
run().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
