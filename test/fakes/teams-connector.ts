import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the bot sent to the fake Bot Connector (or to the fake OneDrive upload URL). */
export interface ConnectorCall {
  kind: 'send' | 'reply' | 'update' | 'upload';
  conversationId: string;
  /** replyToId (reply), activity id (update), file name (upload). */
  targetId: string | null;
  activity: Record<string, unknown> | null;
  headers: IncomingMessage['headers'];
  bytes: Buffer;
  /** Epoch ms the fake received it. */
  at?: number;
}

export interface FakeConnector {
  url: string;
  calls: ConnectorCall[];
  /** Activities posted or updated (typing indicators and uploads left out). */
  activities(): ConnectorCall[];
  /** Answers the next connector call with this status, once (e.g. 429), with optional headers. */
  failNext(status: number, headers?: Record<string, string>): void;
  /** Requests answered by `failNext`. */
  failures(): number;
  setUploadStatus(status: number): void;
  reset(): void;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * A local Bot Connector: `POST /v3/conversations/{id}/activities[/{replyToId}]`, `PUT …/{id}` for
 * updates, and `PUT /upload/{name}` standing in for a OneDrive upload session. Records everything.
 */
export async function startFakeConnector(): Promise<FakeConnector> {
  const calls: ConnectorCall[] = [];
  const state = {
    pending: null as { status: number; headers: Record<string, string> } | null,
    failures: 0,
    uploadStatus: 201,
    counter: 0,
  };
  const server = createServer(async (req, res) => {
    const bytes = await readBody(req);
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://fake').pathname);
    const upload = /^\/upload\/(.+)$/.exec(path);
    if (upload && req.method === 'PUT') {
      calls.push({
        kind: 'upload',
        conversationId: '',
        targetId: upload[1] ?? null,
        activity: null,
        headers: req.headers,
        bytes,
      });
      res.writeHead(state.uploadStatus, { 'content-type': 'application/json' }).end('{}');
      return;
    }
    const match = /^\/v3\/conversations\/(.+?)\/activities(?:\/(.+))?$/.exec(path);
    if (!match) {
      res.writeHead(404).end();
      return;
    }
    if (state.pending) {
      const { status, headers } = state.pending;
      state.pending = null;
      state.failures += 1;
      res
        .writeHead(status, { 'content-type': 'application/json', ...headers })
        .end(JSON.stringify({ error: { code: 'Throttled', message: 'slow down' } }));
      return;
    }
    const activity = bytes.length ? (JSON.parse(bytes.toString('utf8')) as Record<string, unknown>) : null;
    const kind = req.method === 'PUT' ? 'update' : match[2] ? 'reply' : 'send';
    calls.push({
      at: Date.now(),
      kind,
      conversationId: match[1] ?? '',
      targetId: match[2] ?? null,
      activity,
      headers: req.headers,
      bytes,
    });
    state.counter += 1;
    const id = kind === 'update' ? match[2] : `bot-activity-${state.counter}`;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    activities: () => calls.filter((c) => c.kind !== 'upload' && c.activity?.type !== 'typing'),
    failNext: (status, headers = {}) => {
      state.pending = { status, headers };
    },
    failures: () => state.failures,
    setUploadStatus: (status) => {
      state.uploadStatus = status;
    },
    reset: () => {
      calls.length = 0;
      state.pending = null;
      state.failures = 0;
      state.uploadStatus = 201;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
