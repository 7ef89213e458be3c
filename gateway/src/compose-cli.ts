import { composeFromCode, schemaDir, writeArtifacts } from './compose';

composeFromCode()
  .then((c) => {
    writeArtifacts(c);
    console.log(`composed ${Object.keys(c.subgraphSdl).join(', ')} -> ${schemaDir}/supergraph.graphql`);
  })
  .catch((err: Error) => {
    console.error(err.message);
    process.exit(1);
  });
