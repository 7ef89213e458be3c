// Distributed mode: the few plain-HTTP routes a subgraph serves to the outside world (payment
// providers' webhooks) reach it through the gateway, the only public entry. Each subgraph
// definition names its public path prefixes (SubgraphDefinition.publicPaths); for a subgraph
// that runs elsewhere the gateway forwards those requests as they came — method, body bytes and
// headers, which carry the provider's signature — and answers with the service's answer.
// Embedded, the module's own routes are mounted on the gateway instead.
import type express from 'express';
import type { Logger } from '@grocery/platform';

const MAX_BODY_BYTES = 256 * 1024;
const HOP_BY_HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'upgrade']);

export function proxyPublicRoutes(
  targets: readonly { name: string; url: string; paths: readonly string[] }[],
  logger: Logger,
): (app: express.Express) => void {
  return (app) => {
    for (const t of targets) {
      const origin = new URL(t.url).origin;
      for (const path of t.paths)
        app.use(path, async (req, res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          for await (const c of req as AsyncIterable<Buffer>) {
            size += c.length;
            if (size > MAX_BODY_BYTES) {
              res.status(413).json({ error: 'body too large' });
              return;
            }
            chunks.push(c);
          }
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(req.headers))
            if (!HOP_BY_HOP.has(k) && v !== undefined) headers[k] = Array.isArray(v) ? v.join(',') : v;
          try {
            const upstream = await fetch(origin + req.originalUrl, {
              method: req.method,
              headers,
              body: req.method === 'GET' || req.method === 'HEAD' ? undefined : Buffer.concat(chunks),
              signal: AbortSignal.timeout(30_000),
            });
            res.status(upstream.status);
            const type = upstream.headers.get('content-type');
            if (type) res.set('content-type', type);
            res.send(Buffer.from(await upstream.arrayBuffer()));
          } catch (err) {
            logger.warn({ err, subgraph: t.name, path: req.originalUrl }, 'could not forward a public route');
            res.status(502).json({ error: `${t.name} is unavailable; retry later` });
          }
        });
    }
  };
}
