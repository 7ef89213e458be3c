// Distributed mode: the delivery subgraph as its own service (pnpm start runs it embedded instead).
import { runSubgraphService } from '@grocery/platform';
import { deliverySubgraph } from './index';

runSubgraphService(deliverySubgraph).catch((err) => {
  console.error(err);
  process.exit(1);
});
