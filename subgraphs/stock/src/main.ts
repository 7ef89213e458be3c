// Distributed mode: the stock subgraph as its own HTTP service.
import { runSubgraphService } from '@grocery/platform';
import { stockSubgraph } from './index';

runSubgraphService(stockSubgraph).catch((err) => {
  console.error(err);
  process.exit(1);
});
