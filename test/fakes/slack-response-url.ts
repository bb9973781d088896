import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One POST to a response_url: which URL (by name) and the JSON body. */
export interface RecordedResponse {
  name: string;
  body: Record<string, unknown>;
}

/** A local stand-in for Slack's response_url endpoint: hands out URLs and records what is posted. */
export interface FakeResponseUrls {
  url(name: string): string;
  responses: RecordedResponse[];
  to(name: string): Record<string, unknown>[];
  close(): Promise<void>;
}

export async function startFakeResponseUrls(): Promise<FakeResponseUrls> {
  const responses: RecordedResponse[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const name = decodeURIComponent((req.url ?? '').replace(/^\/respond\//, ''));
      responses.push({
        name,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>,
      });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (name) => `http://127.0.0.1:${port}/respond/${encodeURIComponent(name)}`,
    responses,
    to: (name) => responses.filter((r) => r.name === name).map((r) => r.body),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
