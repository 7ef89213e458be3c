// Distributed mode: the users subgraph as its own HTTP service. It verifies access tokens with
// its own keys (it is where JWKS_URL points), so it needs no other service to start.
import { runSubgraphService } from '@grocery/platform';
import { createUsersSubgraph } from './index';

runSubgraphService({
  name: 'users',
  defaultPort: 4003,
  create: createUsersSubgraph,
  keys: (users) => users.verificationKeys,
}).catch((err) => {
  console.error(err);
  process.exit(1);
});
