// Distributed mode: the orders subgraph as its own service (pnpm start runs it embedded instead).
import { runSubgraphService } from '@grocery/platform';
import { ordersSubgraph } from './index';

runSubgraphService(ordersSubgraph).catch((err) => {
  console.error(err);
  process.exit(1);
});
