// Child process for benchmarks: a stock @apollo/gateway, defaults, no tuning, in front of the
// subgraph URLs in SUBGRAPH_URLS (JSON), serving SUPERGRAPH_FILE. Prints its URL when ready.
// Like ours, it signs each request with GATEWAY_SIGNING_SECRET (the services answer nothing
// else), in its default fetcher's request, so the comparison stays like for like.
process.env.APOLLO_TELEMETRY_DISABLED = 'true'; // the baseline must not phone home either
import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { GATEWAY_SIGNATURE_HEADER, GatewaySigner } from '@grocery/platform';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

async function main(): Promise<void> {
  const urls = JSON.parse(process.env.SUBGRAPH_URLS!) as Record<string, string>;
  const supergraphSdl = readFileSync(process.env.SUPERGRAPH_FILE!, 'utf8').replace(
    /http:\/\/(\w+)\.subgraph\.invalid\/graphql/g,
    (_m, name: string) => urls[name],
  );
  const signer = new GatewaySigner(process.env.GATEWAY_SIGNING_SECRET!);
  const buildService = ({ url }: { url?: string }) => {
    const ds = new RemoteGraphQLDataSource({ url });
    const send = ds.fetcher;
    ds.fetcher = (target, init) => {
      const headers = { ...(init?.headers as Record<string, string>) };
      headers[GATEWAY_SIGNATURE_HEADER] = signer.sign({
        method: init?.method ?? 'POST',
        path: new URL(target).pathname,
        body: typeof init?.body === 'string' ? init.body : '',
        forwarded: { authorization: headers.authorization, acceptLanguage: headers['accept-language'] },
      });
      return send(target, { ...init, headers });
    };
    return ds;
  };
  const server = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl, buildService }) });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  process.stdout.write(url + '\n');
  process.once('SIGTERM', () => void server.stop().then(() => process.exit(0)));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
