// Distributed mode: the users subgraph as its own HTTP service.
import { runSubgraphService } from '@grocery/platform';
import { usersSubgraph } from './index';

runSubgraphService(usersSubgraph).catch((err) => {
  console.error(err);
  process.exit(1);
});
