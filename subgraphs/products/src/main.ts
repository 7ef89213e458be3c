// Distributed mode: the products subgraph as its own HTTP service.
import { runSubgraphService } from '@grocery/platform';
import { productsSubgraph } from './index';

runSubgraphService(productsSubgraph).catch((err) => {
  console.error(err);
  process.exit(1);
});
