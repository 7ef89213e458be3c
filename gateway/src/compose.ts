// Composes the supergraph from the subgraphs' code and writes the committed artifacts:
// schema/subgraphs/<name>.graphql and schema/supergraph.graphql.
import './telemetry-off';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@grocery/platform';
import { composeSupergraph, type ComposedSupergraph } from '@grocery/schema';
import { SUBGRAPHS } from './registry';
import { subgraphSchemas } from './registry';

export const schemaDir = path.join(repoRoot, 'schema');

export async function composeFromCode(): Promise<ComposedSupergraph> {
  const schemas = Object.fromEntries(await Promise.all(SUBGRAPHS.map(async (n) => [n, await subgraphSchemas[n]()])));
  return composeSupergraph(schemas);
}

export function readCommittedArtifacts(): ComposedSupergraph {
  const read = (f: string) => readFileSync(path.join(schemaDir, f), 'utf8');
  return {
    supergraphSdl: read('supergraph.graphql'),
    subgraphSdl: Object.fromEntries(SUBGRAPHS.map((n) => [n, read(`subgraphs/${n}.graphql`)])),
  };
}

export function writeArtifacts(c: ComposedSupergraph): void {
  mkdirSync(path.join(schemaDir, 'subgraphs'), { recursive: true });
  for (const [name, sdl] of Object.entries(c.subgraphSdl)) {
    writeFileSync(path.join(schemaDir, 'subgraphs', `${name}.graphql`), sdl.endsWith('\n') ? sdl : sdl + '\n');
  }
  writeFileSync(path.join(schemaDir, 'supergraph.graphql'), c.supergraphSdl);
}
