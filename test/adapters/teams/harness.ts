import { createRequire } from 'node:module';
import { createTeamsSurface, type TeamsSurface } from '../../../adapters/teams/surface.js';
import { createLogger } from '../../../src/logger.js';
import { createHttpApp, listen, type RunningServer } from '../../../src/server/http-server.js';
import { type FakeConnector, startFakeConnector } from '../../fakes/teams-connector.js';
import { startTestAuditbot, type TestAuditbot } from '../../helpers/auditbot.js';

export const TENANT = 'tenant-1';
export const ADMIN = { id: '29:admin', aadObjectId: 'aad-admin', name: 'Ada Admin' };
export const STRANGER = { id: '29:stranger', aadObjectId: 'aad-stranger', name: 'Sam Stranger' };
export const BOT = { id: '28:auditbot', name: 'auditbot' };

export type Scope = 'personal' | 'groupChat' | 'channel';

const CONVERSATIONS: Record<Scope, Record<string, unknown>> = {
  personal: { id: 'a:personal-chat-1', conversationType: 'personal', tenantId: TENANT },
  groupChat: { id: '19:group-chat-1@thread.v2', conversationType: 'groupChat', isGroup: true, tenantId: TENANT },
  channel: {
    id: '19:security-channel@thread.tacv2;messageid=100',
    conversationType: 'channel',
    isGroup: true,
    tenantId: TENANT,
  },
};

export interface TeamsHarness {
  auditbot: TestAuditbot;
  connector: FakeConnector;
  surface: TeamsSurface;
  server: RunningServer;
  baseUrl: string;
  /** Mutable "now" shared by the auditbot and the report links. */
  clock: { now: number };
  post(activity: Record<string, unknown>, headers?: Record<string, string>): Promise<{ status: number; body: unknown }>;
  activity(scope: Scope, overrides?: Record<string, unknown>): Record<string, unknown>;
  close(): Promise<void>;
}

let counter = 0;

export async function startTeamsHarness(options: {
  env?: Record<string, string>;
  auditbotEnv?: Record<string, string>;
  now: number;
}): Promise<TeamsHarness> {
  const clock = { now: options.now };
  const auditbot = await startTestAuditbot(options.auditbotEnv ?? {}, () => clock.now);
  const connector = await startFakeConnector();
  const surface = createTeamsSurface({
    auditbot,
    logger: createLogger({ level: 'silent' }),
    env: { AUDITBOT_TEAMS_ALLOW_UNAUTHENTICATED: 'true', ...options.env },
  });
  if (!surface) throw new Error('Teams surface not configured');
  await surface.start();
  const app = createHttpApp({
    config: auditbot.config,
    store: auditbot.store,
    logger: auditbot.logger,
    metrics: auditbot.metrics,
    mounts: [surface.mount],
  });
  const server = await listen(app, 0, '127.0.0.1');
  const baseUrl = `http://127.0.0.1:${server.port}`;
  return {
    auditbot,
    connector,
    surface,
    server,
    baseUrl,
    clock,
    async post(activity, headers = {}) {
      const response = await fetch(`${baseUrl}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(activity),
      });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {}
      return { status: response.status, body };
    },
    activity(scope, overrides = {}) {
      counter += 1;
      return {
        type: 'message',
        id: `user-msg-${counter}`,
        channelId: 'msteams',
        serviceUrl: `${connector.url}/`,
        timestamp: new Date(clock.now).toISOString(),
        from: ADMIN,
        recipient: BOT,
        conversation: CONVERSATIONS[scope],
        channelData: {
          tenant: { id: TENANT },
          ...(scope === 'channel'
            ? { team: { id: '19:team@thread.tacv2' }, channel: { id: '19:security-channel@thread.tacv2' } }
            : {}),
        },
        ...overrides,
      };
    },
    async close() {
      await surface.stop();
      await server.close();
      await connector.close();
      await auditbot.dispose();
    },
  };
}

/** `<at>auditbot</at> …` with the mention entity Teams sends alongside. */
export function mentionOverrides(text: string): Record<string, unknown> {
  return {
    text: `<at>auditbot</at> ${text}`,
    entities: [{ type: 'mention', text: '<at>auditbot</at>', mentioned: BOT }],
  };
}

// The adaptivecards bundle is UMD; its lib/ entry is extension-less ESM that Node cannot load.
const require = createRequire(import.meta.url);
const AC = require('adaptivecards/dist/adaptivecards.js') as {
  AdaptiveCard: new () => {
    parse(json: unknown, ctx: unknown): void;
    validateProperties(): { validationEvents: { message: string }[] };
  };
  SerializationContext: new () => { eventCount: number; getEventAt(i: number): { message: string } };
};

/** Parse and validation problems of one card JSON, plus a version above what Teams renders. */
export function cardProblems(card: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (card.type !== 'AdaptiveCard') problems.push(`not an AdaptiveCard: ${String(card.type)}`);
  const version = Number(card.version);
  if (!(version <= 1.5)) problems.push(`version ${String(card.version)} is above 1.5`);
  const parsed = new AC.AdaptiveCard();
  const ctx = new AC.SerializationContext();
  parsed.parse(card, ctx);
  for (let i = 0; i < ctx.eventCount; i += 1) problems.push(ctx.getEventAt(i).message);
  for (const event of parsed.validateProperties().validationEvents) problems.push(event.message);
  return problems;
}

export interface Attachment {
  contentType: string;
  content: Record<string, unknown>;
  name?: string;
  contentUrl?: string;
}

export function attachmentsOf(activity: Record<string, unknown> | null): Attachment[] {
  return ((activity?.attachments as Attachment[] | undefined) ?? []).filter(Boolean);
}

export function adaptiveCardsOf(activity: Record<string, unknown> | null): Record<string, unknown>[] {
  return attachmentsOf(activity)
    .filter((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')
    .map((a) => a.content);
}

/** Every text a card shows (TextBlock text, TextRun text, action titles), in order, for assertions. */
export function cardText(card: unknown): string {
  const out: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if ((o.type === 'TextBlock' || o.type === 'TextRun') && typeof o.text === 'string') out.push(o.text);
      if (typeof o.title === 'string' && typeof o.type === 'string' && o.type.startsWith('Action.'))
        out.push(`[${o.title}]`);
      for (const [key, value] of Object.entries(o)) if (key !== 'data') walk(value);
    }
  };
  walk(card);
  return out.join(' ');
}

/** All elements of a card matching a predicate, depth first. */
export function findElements(card: unknown, match: (o: Record<string, unknown>) => boolean): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (match(o)) found.push(o);
      for (const value of Object.values(o)) walk(value);
    }
  };
  walk(card);
  return found;
}
