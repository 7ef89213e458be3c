// Child process for benchmarks: a stock @apollo/gateway, defaults, no tuning, in front of the
// subgraph URLs in SUBGRAPH_URLS (JSON), serving SUPERGRAPH_FILE. Prints its URL when ready.
process.env.APOLLO_TELEMETRY_DISABLED = 'true'; // the baseline must not phone home either
import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

async function main(): Promise<void> {
  const urls = JSON.parse(process.env.SUBGRAPH_URLS!) as Record<string, string>;
  const supergraphSdl = readFileSync(process.env.SUPERGRAPH_FILE!, 'utf8').replace(
    /http:\/\/(\w+)\.subgraph\.invalid\/graphql/g,
    (_m, name: string) => urls[name],
  );
  const server = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl }) });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  process.stdout.write(url + '\n');
  process.once('SIGTERM', () => void server.stop().then(() => process.exit(0)));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
