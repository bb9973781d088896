import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local 8x8 Audit Records API (+ the user-management API's GET /users/{id}) that checks every
 * request against the real OpenAPI document (test/fixtures, a copy of ../shared/reference), pages
 * with scrollId, returns records in no particular order, and replays queued faults.
 */
export interface FakeEightX8Api {
  /** For EIGHTX8_API_URL: `http://127.0.0.1:PORT/administration/audit/v1`. */
  url: string;
  /** For EIGHTX8_USERS_API_URL: `http://127.0.0.1:PORT`. */
  usersUrl: string;
  requests: RecordedRequest[];
  /** Registers records (as the API returns them); later additions model late-registered events. */
  add(items: readonly ApiItem[]): void;
  /** The next requests, in order, meet one fault each: a status instead of the answer, or a delay before it. */
  inject(...faults: Fault[]): void;
  users: Map<string, { firstName: string; lastName: string }>;
  close(): Promise<void>;
}

export type ApiItem = Record<string, unknown> & { id: string; auditTimestamp: string };

export type Fault =
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: unknown }
  | { kind: 'delay'; ms: number }
  | { kind: 'reset' };

export interface RecordedRequest {
  at: number;
  path: string;
  query: Record<string, string>;
  apiKey: string | null;
  status: number;
}

interface ParameterSpec {
  name: string;
  in: string;
  required?: boolean;
  schema?: { type?: string; minimum?: number; maximum?: number; enum?: string[] };
}

interface OpenApi {
  paths: { '/audits': { get: { parameters: ({ $ref: string } | ParameterSpec)[] } } };
  components: { parameters: Record<string, ParameterSpec>; schemas: Record<string, unknown> };
}

const spec = JSON.parse(
  readFileSync(new URL('../fixtures/8x8-audit-records-openapi.json', import.meta.url), 'utf8'),
) as OpenApi;

/** The /audits parameters with `$ref`s resolved. */
const PARAMETERS: ParameterSpec[] = spec.paths['/audits'].get.parameters.map((p) =>
  '$ref' in p ? (spec.components.parameters[p.$ref.split('/').pop() ?? ''] as ParameterSpec) : p,
);
const AUDIT_PATH = '/administration/audit/v1/audits';
const USERS_PATH = /^\/admin-provisioning\/users\/([^/?]+)$/;
const RANGE_MESSAGE = 'Provide both startTime and endTime within range of 31 days, with startTime less than endTime.';
const MAX_RANGE_MS = 31 * 86_400_000;

/** The documented error body (RequestValidationProblem / UnauthorizedResponse). */
function problem(status: number, error: string, message: string, path: string) {
  return {
    timestamp: new Date().toISOString(),
    status,
    error,
    message,
    path: path.replace('/administration/audit', ''),
  };
}

/** Checks the query against the OpenAPI parameters: required, unknown, integer bounds, enums, range. */
function validate(query: URLSearchParams): string | null {
  for (const name of query.keys()) {
    if (!PARAMETERS.some((p) => p.name === name)) return `Unknown parameter ${name}`;
  }
  for (const p of PARAMETERS) {
    const value = query.get(p.name);
    if (value === null || value === '') {
      if (p.required) return p.name === 'startTime' || p.name === 'endTime' ? RANGE_MESSAGE : `${p.name} is required`;
      continue;
    }
    const schema = p.schema ?? {};
    if (schema.type === 'integer') {
      const n = Number(value);
      if (!Number.isInteger(n)) return `${p.name} must be an integer`;
      if (schema.minimum !== undefined && n < schema.minimum) return `${p.name} must be at least ${schema.minimum}`;
      if (schema.maximum !== undefined && n > schema.maximum) return `${p.name} must be at most ${schema.maximum}`;
    }
    if (schema.enum) {
      const bad = value.split(',').find((v) => !schema.enum?.includes(v.trim()));
      if (bad !== undefined) return `${p.name} contains unknown value ${bad}`;
    }
  }
  const start = Date.parse(query.get('startTime') ?? '');
  const end = Date.parse(query.get('endTime') ?? '');
  if (!(start < end) || end - start > MAX_RANGE_MS) return RANGE_MESSAGE;
  return null;
}

function matches(item: ApiItem, q: URLSearchParams, start: number, end: number): boolean {
  const t = Date.parse(item.auditTimestamp);
  // Inclusive at both ends, as a careful client must assume: boundary events come twice.
  if (!(t >= start && t <= end)) return false;
  // A record whose service is null belongs to whichever service was asked for (fields may be null).
  const service = item.service === null || item.service === undefined ? null : String(item.service).toLowerCase();
  if (service !== null && service !== (q.get('service') ?? '').toLowerCase()) return false;
  const list = (name: string) =>
    q
      .get(name)
      ?.split(',')
      .map((s) => s.trim().toLowerCase());
  const entityTypes = list('entityTypes');
  if (entityTypes && !entityTypes.includes(String(item.entityType).toLowerCase())) return false;
  const eventTypes = list('eventTypes');
  if (eventTypes && !eventTypes.includes(String(item.eventType).toLowerCase())) return false;
  const auditUserId = q.get('auditUserId');
  return auditUserId === null || item.auditUserId === auditUserId;
}

/** Deterministic shuffle: the API promises no order, so neither does the fake. */
function shuffled<T>(items: T[], seed: number): T[] {
  let state = seed >>> 0 || 1;
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

export async function startFakeEightX8Api(
  options: { apiKey?: string; usersApiKey?: string; clock?: () => number; seed?: number } = {},
): Promise<FakeEightX8Api> {
  const apiKey = options.apiKey ?? 'test-api-key';
  const usersApiKey = options.usersApiKey ?? 'test-users-key';
  const clock = options.clock ?? Date.now;
  const items: ApiItem[] = [];
  const faults: Fault[] = [];
  const requests: RecordedRequest[] = [];
  const scrolls = new Map<string, { found: ApiItem[]; offset: number }>();
  const users = new Map<string, { firstName: string; lastName: string }>();
  let scrollCounter = 0;

  const send = (res: ServerResponse, record: RecordedRequest, status: number, body: unknown, headers = {}) => {
    record.status = status;
    res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', ...headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };

  const audits = (res: ServerResponse, record: RecordedRequest, q: URLSearchParams, path: string) => {
    if (record.apiKey !== apiKey) {
      return send(res, record, 401, problem(401, 'Unauthorized', 'Authentication token is missing or invalid', path));
    }
    const invalid = validate(q);
    if (invalid) return send(res, record, 400, problem(400, 'Bad Request', invalid, path));
    const size = Number(q.get('size') ?? 20);
    const scrollId = q.get('scrollId');
    let scroll = scrollId ? scrolls.get(scrollId) : undefined;
    if (scrollId && !scroll) return send(res, record, 400, problem(400, 'Bad Request', 'Invalid scrollId', path));
    if (!scroll) {
      const start = Date.parse(q.get('startTime') ?? '');
      const end = Date.parse(q.get('endTime') ?? '');
      scrollCounter += 1;
      const found = items.filter((item) => matches(item, q, start, end));
      scroll = { found: shuffled(found, (options.seed ?? 7) + scrollCounter), offset: 0 };
    }
    const data = scroll.found.slice(scroll.offset, scroll.offset + size);
    if (scrollId) scrolls.delete(scrollId);
    let nextId: string | null = null;
    if (scroll.offset + size < scroll.found.length) {
      nextId = `scroll-${++scrollCounter}`;
      scrolls.set(nextId, { found: scroll.found, offset: scroll.offset + size });
    }
    send(res, record, 200, { meta: { totalRecordCount: data.length, scrollId: nextId }, data });
  };

  const user = (res: ServerResponse, record: RecordedRequest, id: string, path: string) => {
    if (record.apiKey !== usersApiKey) {
      return send(res, record, 401, problem(401, 'Unauthorized', 'Authentication token is missing or invalid', path));
    }
    const found = users.get(decodeURIComponent(id));
    if (!found) return send(res, record, 404, problem(404, 'Not Found', 'User not found', path));
    send(res, record, 200, { userId: id, basicInfo: { ...found, userName: `${found.firstName}.${found.lastName}` } });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const header = req.headers['x-api-key'];
    const record: RecordedRequest = {
      at: clock(),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      apiKey: typeof header === 'string' ? header : null,
      status: 0,
    };
    requests.push(record);
    // One queued fault per request: a delay then answers normally, the others answer instead.
    const fault = faults.shift();
    if (fault?.kind === 'delay') await new Promise((r) => setTimeout(r, fault.ms));
    if (fault?.kind === 'reset') return void req.socket.destroy();
    if (fault?.kind === 'status') {
      const body = fault.body ?? problem(fault.status, 'Error', 'injected', url.pathname);
      return send(res, record, fault.status, body, fault.headers);
    }
    if (req.method !== 'GET')
      return send(res, record, 405, problem(405, 'Method Not Allowed', 'GET only', url.pathname));
    if (url.pathname === AUDIT_PATH) return audits(res, record, url.searchParams, url.pathname);
    const userId = USERS_PATH.exec(url.pathname)?.[1];
    if (userId) return user(res, record, userId, url.pathname);
    send(res, record, 404, problem(404, 'Not Found', 'No such path', url.pathname));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => res.writeHead(500).end(error.message));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/administration/audit/v1`,
    usersUrl: `http://127.0.0.1:${port}`,
    requests,
    users,
    add: (more) => void items.push(...more),
    inject: (...more) => void faults.push(...more),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `count` platform items spread evenly over [start, end), ids `prefix-0…`, valid JSON details. */
export function makeAuditItems(options: {
  count: number;
  start: number;
  end: number;
  customerId: string;
  prefix?: string;
  service?: string;
}): ApiItem[] {
  const step = (options.end - options.start) / options.count;
  return Array.from({ length: options.count }, (_, i) => ({
    id: `${options.prefix ?? 'rec'}-${i}`,
    customerId: options.customerId,
    service: options.service ?? 'platform',
    displayName: `Ring group ${i % 50}`,
    auditTimestamp: new Date(Math.floor(options.start + i * step)).toISOString(),
    eventType: ['create', 'update', 'delete'][i % 3] ?? 'update',
    correlationType: null,
    correlationId: null,
    entityType: i % 2 === 0 ? 'RingGroup' : 'ringgroup',
    entityKey: `rg-${i % 50}`,
    auditUserId: `u-${i % 7}`,
    impersonator: null,
    details: JSON.stringify({ new: { name: `name ${i}` }, old: { name: `name ${i - 1}` } }),
  }));
}
