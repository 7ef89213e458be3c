// GraphiQL for browsers at GET /graphql (and /), served entirely from the installed package:
// @graphql-yoga/render-graphiql inlines GraphiQL's JS and CSS, so the page loads no CDN and
// works offline. Subscriptions run over graphql-ws on the same /graphql URL.
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { Express, NextFunction, Request, Response } from 'express';

/** What GraphiQL opens with: one operation across products and stock (a test runs it). */
export const GRAPHIQL_EXAMPLE = [
  '# Staff: sign in (mutation logIn) and add the token in Headers: {"Authorization": "Bearer …"}',
  'query Catalog {',
  '  search(query: "sua tuoi", first: 5, sort: RELEVANCE) {',
  '    totalCount',
  '    edges {',
  '      node { sku name price { amount } currentPrice { amount } promotion { name } availability { available } }',
  '    }',
  '    facets { dietary { name count } priceBuckets { min max count } }',
  '    pageInfo { hasNextPage endCursor }',
  '  }',
  '  bundles(first: 3) {',
  '    edges { node { name price { amount } savings { amount } available } }',
  '  }',
  '}',
  '',
].join('\n');

export function graphiqlPage(): string {
  return renderGraphiQL({
    title: 'Grocery API',
    endpoint: '/graphql',
    subscriptionsProtocol: 'WS',
    defaultQuery: GRAPHIQL_EXAMPLE,
  });
}

/** Mounts GraphiQL; requests that do not ask for HTML go on to the GraphQL endpoint. */
export function mountGraphiQL(app: Express): void {
  let html: string | undefined; // ~9 MB: rendered on first use, then reused.
  const serve = (req: Request, res: Response, next: NextFunction) => {
    if (req.accepts(['application/json', 'application/graphql-response+json', 'text/html']) !== 'text/html')
      return next();
    html ??= graphiqlPage();
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(html);
  };
  app.get('/', serve);
  app.get('/graphql', serve);
}
