// Distributed mode: the products subgraph as its own HTTP service.
import { runSubgraphService } from '@grocery/platform';
import { createProductsSubgraph } from './index';

runSubgraphService({ name: 'products', defaultPort: 4001, create: createProductsSubgraph }).catch((err) => {
  console.error(err);
  process.exit(1);
});
