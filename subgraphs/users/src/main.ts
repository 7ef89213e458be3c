// Distributed mode: the users subgraph as its own HTTP service. It verifies access tokens with
// its own keys (it is where JWKS_URL points), so it needs no other service to start.
import { runSubgraphService } from '@grocery/platform';
import { createUsersSubgraph } from './index';

runSubgraphService({
  name: 'users',
  defaultPort: 4003,
  create: createUsersSubgraph,
  keys: (users) => users.verificationKeys,
  // SEED_ADMIN_EMAIL / SEED_ADMIN_PASSWORD create or update an admin in every mode; in
  // distributed mode the users service is where accounts live, so it does it.
  onStarted: async (users, config) => {
    if (config.SEED_ADMIN_EMAIL && config.SEED_ADMIN_PASSWORD) {
      await users.ensureAccount({
        email: config.SEED_ADMIN_EMAIL,
        password: config.SEED_ADMIN_PASSWORD,
        name: 'Administrator',
        roles: ['admin', 'staff'],
      });
    }
  },
}).catch((err) => {
  console.error(err);
  process.exit(1);
});
