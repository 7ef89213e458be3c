#!/bin/sh
# Copies what the runtime image holds from a built workspace whose node_modules hold production
# dependencies only (Dockerfile, build stage) to $1, in the same layout: the root and each
# package's package.json, dist and node_modules (pnpm's relative links keep working), each
# domain's Prisma schema, config and migrations (`prisma migrate deploy` reads them), and the
# composed supergraph the gateway serves. No sources, tests, benchmarks or dev tooling.
set -eu
dest=${1:?usage: assemble-runtime.sh <destination>}
mkdir -p "$dest"
cp -a package.json node_modules "$dest/"
for pkg in platform gateway seed schema subgraphs/*; do
  [ -f "$pkg/package.json" ] || continue
  mkdir -p "$dest/$pkg"
  cp -a "$pkg/package.json" "$pkg/dist" "$dest/$pkg/"
  if [ -d "$pkg/node_modules" ]; then cp -a "$pkg/node_modules" "$dest/$pkg/"; fi
done
for dir in prisma/*/; do
  domain=$(basename "$dir")
  mkdir -p "$dest/prisma/$domain"
  cp -a "$dir/schema.prisma" "$dir/prisma.config.ts" "$dir/migrations" "$dest/prisma/$domain/"
done
cp -a schema/supergraph.graphql "$dest/schema/"
