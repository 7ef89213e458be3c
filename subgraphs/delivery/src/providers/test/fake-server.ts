// The local HTTP server every courier fake runs on (127.0.0.1, a free port). A fake supplies a
// route function; the server parses JSON bodies, records each call, and can be told to be down
// (503) or to hang (never answer) so the adapters' outage paths run against real sockets.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

export interface FakeAnswer {
  status: number;
  body?: unknown;
}

export type Route = (req: FakeRequest) => FakeAnswer | Promise<FakeAnswer>;

export class FakeServer {
  readonly calls: FakeRequest[] = [];
  mode: 'up' | 'down' | 'hang' = 'up';
  private server?: Server;
  private readonly hanging: ServerResponse[] = [];

  constructor(private readonly route: Route) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /** Calls to one path (tests count them). */
  to(path: string): FakeRequest[] {
    return this.calls.filter((c) => c.path === path);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of req) raw += (chunk as Buffer).toString('utf8');
    let body: Record<string, unknown> = {};
    try {
      body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    } catch {
      body = {};
    }
    const url = new URL(req.url ?? '/', 'http://fake');
    const call = { method: req.method ?? 'GET', path: url.pathname, headers: req.headers, body };
    this.calls.push(call);
    if (this.mode === 'hang') {
      this.hanging.push(res);
      return;
    }
    if (this.mode === 'down') {
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"message":"unavailable"}');
      return;
    }
    const answer = await this.route(call);
    if (answer.body === undefined) res.writeHead(answer.status).end();
    else res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
  }
}
