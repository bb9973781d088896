import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One Web API call as the fake received it; form fields that hold JSON (blocks, view) are parsed. */
export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  token: string | null;
  /** Epoch ms the fake received it (alert pacing is asserted on these). */
  at: number;
}

export interface RecordedUpload {
  fileId: string;
  bytes: Buffer;
}

type Failure = { kind: 'rate-limited'; retryAfter: number } | { kind: 'error'; error: string } | { kind: 'hang' };

/**
 * A local Slack Web API that records every call: auth.test, chat.*, views.*, users.info and the
 * three steps of files.uploadV2 (the upload URL points back at this fake). Failures can be queued.
 */
export interface FakeSlackWebApi {
  /** Base URL for SLACK_API_URL (`http://127.0.0.1:PORT/api/`). */
  apiUrl: string;
  calls: RecordedCall[];
  uploads: RecordedUpload[];
  callsTo(method: string): RecordedCall[];
  /** Next call to `method` answers 429 with Retry-After, or `{ok:false, error}`. */
  failNext(method: string, failure: Failure): void;
  /** users.info says these ids are workspace admins. */
  workspaceAdmins: Set<string>;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseArgs(req: IncomingMessage, body: Buffer): Record<string, unknown> {
  const type = req.headers['content-type'] ?? '';
  const text = body.toString('utf8');
  if (type.includes('application/json')) return JSON.parse(text || '{}') as Record<string, unknown>;
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    args[key] = /^[[{]/.test(value) ? safeJson(value) : value;
  }
  return args;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export async function startFakeSlackWebApi(): Promise<FakeSlackWebApi> {
  const calls: RecordedCall[] = [];
  const uploads: RecordedUpload[] = [];
  const failures = new Map<string, Failure[]>();
  const workspaceAdmins = new Set<string>();
  let counter = 0;
  let base = '';

  const answer = (method: string, args: Record<string, unknown>): Record<string, unknown> => {
    counter += 1;
    switch (method) {
      case 'auth.test':
        return { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1', user: 'auditbot' };
      case 'chat.postMessage':
      case 'chat.update':
        return { ok: true, channel: args.channel, ts: `1700000000.${String(counter).padStart(6, '0')}` };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: `1700000000.${String(counter).padStart(6, '0')}` };
      case 'views.open':
      case 'views.update':
        return { ok: true, view: { id: `V${counter}`, hash: `hash-${counter}` } };
      case 'users.info': {
        const id = String(args.user);
        const admin = workspaceAdmins.has(id);
        return { ok: true, user: { id, name: id.toLowerCase(), is_admin: admin, is_owner: false } };
      }
      case 'files.getUploadURLExternal':
        return { ok: true, upload_url: `${base}upload/F${counter}`, file_id: `F${counter}` };
      case 'files.completeUploadExternal': {
        const raw = Array.isArray(args.files) ? args.files : safeJson(String(args.files));
        const files = (Array.isArray(raw) ? raw : []) as { id: string; title?: string }[];
        return { ok: true, files: files.map((f) => ({ id: f.id, title: f.title })) };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
    const url = req.url ?? '';
    const upload = /^\/upload\/(F\d+)$/.exec(url);
    if (upload?.[1]) {
      uploads.push({ fileId: upload[1], bytes: body });
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${body.length}`);
      return;
    }
    const method = /^\/api\/([\w.]+)$/.exec(url)?.[1] ?? '';
    const args = parseArgs(req, body);
    const auth = req.headers.authorization ?? null;
    calls.push({
      at: Date.now(),
      method,
      args,
      token: auth ? auth.replace(/^Bearer\s+/i, '') : typeof args.token === 'string' ? args.token : null,
    });
    const failure = failures.get(method)?.shift();
    // Never answers: the caller is left mid-request, as when a process dies during a post.
    if (failure?.kind === 'hang') return;
    if (failure?.kind === 'rate-limited') {
      res
        .writeHead(429, { 'retry-after': String(failure.retryAfter), 'content-type': 'application/json' })
        .end('{"ok":false,"error":"ratelimited"}');
      return;
    }
    const payload = failure?.kind === 'error' ? { ok: false, error: failure.error } : answer(method, args);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}/`;
  return {
    apiUrl: `${base}api/`,
    calls,
    uploads,
    workspaceAdmins,
    callsTo: (method) => calls.filter((c) => c.method === method),
    failNext(method, failure) {
      failures.set(method, [...(failures.get(method) ?? []), failure]);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
