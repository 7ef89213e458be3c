// Distributed mode: the stock subgraph as its own HTTP service.
import { runSubgraphService } from '@grocery/platform';
import { createStockSubgraph } from './index';

runSubgraphService({ name: 'stock', defaultPort: 4002, create: createStockSubgraph }).catch((err) => {
  console.error(err);
  process.exit(1);
});
