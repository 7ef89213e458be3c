# One image for every process of the platform; the command chooses which (docker-compose.yml):
#   node gateway/dist/main.js                  the gateway (default)
#   node subgraphs/<name>/dist/main.js         one subgraph as its own service
#   node platform/dist/db/roles-cli.js         migrations as the owner + one role per domain (pnpm db:roles)
#   node platform/dist/db/migrate-cli.js       migrations only, as the owner
#   node seed/dist/cli.js --skus 500           the seed catalog
#   node subgraphs/products/dist/search/elasticsearch/reindex-cli.js   fill the Elasticsearch index
# Runs as a non-root user on a read-only root filesystem and writes nothing it needs: give it a
# tmpfs on /tmp, where Prisma's CLI caches the compiled prisma.config.ts when it can (migrations
# also run with /tmp read-only). No secrets are baked in: configuration comes from the
# environment (.env.example, deploy/compose.env); the users service then needs
# SIGNING_KEY_ENCRYPTION_KEY (NODE_ENV=production by default requires it anyway).
ARG NODE_IMAGE=node:20-slim

FROM ${NODE_IMAGE} AS build
# The version package.json pins ("packageManager"); test/deploy/compose.test.ts checks they agree.
ARG PNPM_VERSION=10.28.0
ENV CI=true \
    APOLLO_TELEMETRY_DISABLED=true \
    CHECKPOINT_DISABLE=1 \
    TURBO_TELEMETRY_DISABLED=1 \
    PRISMA_HIDE_UPDATE_MESSAGE=1
RUN npm install -g "pnpm@${PNPM_VERSION}" && npm cache clean --force
WORKDIR /app
# Every package from the lockfile alone (a layer that changes only with the lockfile).
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./
COPY patches ./patches
RUN pnpm fetch
COPY . .
RUN pnpm install --frozen-lockfile --offline
# Generates each domain's Prisma client into subgraphs/<name>/src/data/generated and compiles it into dist.
RUN pnpm run build
# Production dependencies only, in the same workspace layout (pnpm deploy would move the packages
# under node_modules, and the code finds prisma/ and schema/ from the repository root).
RUN rm -rf node_modules platform/node_modules gateway/node_modules seed/node_modules schema/node_modules \
      bench/node_modules subgraphs/*/node_modules \
    && pnpm install --frozen-lockfile --offline --prod \
    && sh deploy/assemble-runtime.sh /runtime

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    APOLLO_TELEMETRY_DISABLED=true \
    CHECKPOINT_DISABLE=1 \
    PRISMA_HIDE_UPDATE_MESSAGE=1 \
    HOST=0.0.0.0
WORKDIR /app
# Owned by root, read-only to the user that runs it.
COPY --from=build /runtime /app
USER node
EXPOSE 4000
CMD ["node", "gateway/dist/main.js"]
