import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotRequest } from '../../src/bot/router.js';
import { routeText } from '../../src/bot/router.js';
import type { Reply } from '../../src/replies/reply.js';
import { NOW, platformEvent, startTestAuditbot, type TestAuditbot, userEvent } from '../helpers/auditbot.js';

let bot: TestAuditbot;
const admin: BotRequest['principal'] = { platform: 'slack', id: 'UADMIN' };
const stranger: BotRequest['principal'] = { platform: 'slack', id: 'USTRANGER' };
const ask = (text: string, principal = admin, page?: BotRequest['page']) =>
  bot.bot.handle({ principal, workspace: { platform: 'slack', teamId: 'T1' }, text, ...(page ? { page } : {}) });

function expectKind<K extends Reply['kind']>(reply: Reply, kind: K): Extract<Reply, { kind: K }> {
  expect(reply.kind, JSON.stringify(reply)).toBe(kind);
  return reply as Extract<Reply, { kind: K }>;
}

const DAY = 86_400_000;
const iso = (msAgo: number) => new Date(NOW - msAgo).toISOString();

beforeAll(async () => {
  bot = await startTestAuditbot();
  await bot.store.append([
    userEvent('u-alice', 'Alice Martin'),
    userEvent('u-bob', 'Bob Chen'),
    platformEvent({
      id: 'del-sales',
      eventType: 'delete',
      displayName: 'Sales – EMEA',
      entityKey: 'rg-sales',
      auditUserId: 'u-alice',
      impersonator: 'SUP-81',
      auditTimestamp: iso(2 * 3_600_000),
      details: { old: { name: 'Sales – EMEA', members: ['u-1', 'u-2'], huntPolicy: 'round-robin' } },
    }),
    platformEvent({
      id: 'upd-support',
      eventType: 'update',
      displayName: 'Support',
      entityKey: 'rg-support',
      auditUserId: 'u-bob',
      auditTimestamp: iso(3 * DAY),
      details: { new: { huntPolicy: 'simultaneous', timeout: 30 }, old: { huntPolicy: 'round-robin' } },
    }),
    platformEvent({
      id: 'old-del',
      eventType: 'delete',
      entityType: 'user',
      entityKey: 'u-9',
      displayName: 'Old User',
      auditUserId: 'u-bob',
      auditTimestamp: iso(20 * DAY),
      details: { old: { firstName: 'Old' } },
    }),
    platformEvent({
      id: 'q-1',
      service: 'vccss',
      region: 'uk-eu',
      eventType: 'create',
      entityType: 'queue',
      entityKey: 'q-7',
      displayName: 'Billing queue',
      auditTimestamp: iso(6 * DAY),
      details: { name: 'Billing queue', priority: 1, agentGroupIds: ['ag-1'] },
    }),
    platformEvent({
      id: 'q-2',
      service: 'vccss',
      region: 'uk-eu',
      eventType: 'update',
      entityType: 'Queue',
      entityKey: 'q-7',
      displayName: 'Billing queue',
      auditTimestamp: iso(1 * DAY),
      details: { name: 'Billing queue', priority: 5, agentGroupIds: ['ag-1', 'ag-2'] },
    }),
    platformEvent({
      id: 'other-tenant',
      customerId: 'cust-2',
      eventType: 'delete',
      displayName: 'Secret',
      auditTimestamp: iso(3_600_000),
    }),
  ]);
});
afterAll(() => bot.dispose());

describe('routeText', () => {
  it.each([
    ['op:delete when:7d', 'search', 'op:delete when:7d'],
    ['search op:delete', 'search', 'op:delete'],
    ['SHOW abc', 'show', 'abc'],
    ['report  when:90d ', 'report', 'when:90d'],
    ['status', 'status', ''],
    ['', 'search', ''],
    ['Sales entity:ringgroup', 'search', 'Sales entity:ringgroup'],
  ])('%j → %s %j', (text, command, args) => {
    expect(routeText(text)).toEqual({ command, args });
  });
});

describe('search', () => {
  it('lists matches newest first with names, window and freshness', async () => {
    const list = expectKind(await ask('op:delete'), 'event-list');
    expect(list.events.map((e) => e.id)).toEqual(['del-sales', 'old-del']);
    expect(list.total).toBe(2);
    expect(list.query).toBe('op:delete');
    expect(list.events[0]?.actor).toEqual({ id: 'u-alice', name: 'Alice Martin' });
    expect(list.events[0]?.impersonator?.id).toBe('SUP-81');
    expect(list.freshness.completeUpTo).toBe(iso(2 * 3_600_000));
    expect(Date.parse(list.window.end) - Date.parse(list.window.start)).toBeGreaterThanOrEqual(90 * DAY);
  });

  it('resolves who: by name and honours when:', async () => {
    const list = expectKind(await ask('who:bob when:7d'), 'event-list');
    expect(list.events.map((e) => e.id)).toEqual(['upd-support']);
  });

  it('pages with keyset cursors', async () => {
    const first = expectKind(await ask('when:90d'), 'event-list');
    expect(first.total).toBeGreaterThan(3);
    const small = await startTestAuditbot({ AUDITBOT_PAGE_SIZE: '2' });
    try {
      await small.store.append(
        Array.from({ length: 5 }, (_, i) =>
          platformEvent({ customerId: 'cust-1', id: `p-${i}`, auditTimestamp: iso((i + 1) * 60_000) }),
        ),
      );
      const handle = (page?: BotRequest['page']) =>
        small.bot.handle({
          principal: admin,
          workspace: { platform: 'slack', teamId: 'T1' },
          text: 'op:update',
          ...(page ? { page } : {}),
        });
      const p1 = expectKind(await handle(), 'event-list');
      const p2 = expectKind(await handle({ cursor: p1.nextCursor, previousCursors: [p1.cursor] }), 'event-list');
      const p3 = expectKind(
        await handle({ cursor: p2.nextCursor, previousCursors: [...p2.previousCursors, p2.cursor] }),
        'event-list',
      );
      expect([...p1.events, ...p2.events, ...p3.events].map((e) => e.id)).toEqual(['p-0', 'p-1', 'p-2', 'p-3', 'p-4']);
      expect([p1.page, p2.page, p3.page]).toEqual([1, 2, 3]);
      expect(p3.nextCursor).toBeNull();
    } finally {
      await small.dispose();
    }
  });

  it('explains query mistakes with a suggestion', async () => {
    const notice = expectKind(await ask('usr:alice'), 'notice');
    expect(notice.level).toBe('error');
    expect(notice.text).toMatch(/unknown qualifier `usr:`.*`who:`/);
  });

  it('never shows another tenant’s events', async () => {
    const list = expectKind(await ask('Secret'), 'event-list');
    expect(list.total).toBe(0);
    expect(expectKind(await ask('show other-tenant'), 'notice').level).toBe('warn');
  });

  it('records every query as an auditbot read event, left out of normal results', async () => {
    await ask('op:delete Sales');
    const access = expectKind(await ask('app:auditbot op:read'), 'event-list');
    const queries = access.events.map((e) => e.entityKey);
    expect(queries).toContain('op:delete Sales');
    expect(access.events[0]?.actor?.id).toBe('slack:UADMIN');
    const normal = expectKind(await ask('op:read'), 'event-list');
    expect(normal.events.every((e) => e.service !== 'auditbot')).toBe(true);
  });
});

describe('show', () => {
  it('expands old/new details into changes', async () => {
    const detail = expectKind(await ask('show upd-support'), 'event-detail');
    expect(detail.changes.basis).toBe('old-new');
    expect(detail.changes.changes).toEqual([
      { path: 'huntPolicy', kind: 'changed', old: 'round-robin', new: 'simultaneous' },
      { path: 'timeout', kind: 'added', new: 30 },
    ]);
  });

  it("shows the event's place in the tamper-evident chain", async () => {
    const detail = expectKind(await ask('show upd-support'), 'event-detail');
    const link = await bot.store.chain.linkOf(detail.event.customerId, 'upd-support');
    expect(detail.chain).toEqual({ position: link?.position, hash: link?.hash });
    expect(detail.chain?.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('diffs final-state-only Contact Center events against the previous state', async () => {
    const detail = expectKind(await ask('show q-2'), 'event-detail');
    expect(detail.changes.basis).toBe('previous-state');
    expect(detail.changes.previousEventId).toBe('q-1');
    expect(detail.changes.changes.map((c) => c.path)).toEqual(['agentGroupIds', 'priority']);
    const first = expectKind(await ask('show q-1'), 'event-detail');
    expect(first.changes.basis).toBe('first-seen');
  });

  it('says clearly when the id is missing or unknown', async () => {
    expect(expectKind(await ask('show'), 'notice').text).toMatch(/needs an event id/);
    expect(expectKind(await ask('show nope'), 'notice').text).toMatch(/No event with id `nope`/);
  });
});

describe('report', () => {
  it('writes every match as CSV and records the export', async () => {
    const file = expectKind(await ask('report op:delete'), 'file');
    expect(file.totalRows).toBe(2);
    expect(file.parts).toHaveLength(1);
    const csv = readFileSync(file.parts[0]!.path, 'utf8');
    expect(csv.startsWith('\ufeff')).toBe(true); // a BOM, so spreadsheets read UTF-8 names correctly
    expect(csv.slice(1).split('\n')[0]).toBe(
      'displayName,customerId,auditTimestamp,eventType,service,entityKey,entityType,auditUserId,impersonator,details,correlationType,correlationId,accessMethod,region',
    );
    expect(csv).toContain('Sales – EMEA');
    const exports = expectKind(await ask('app:auditbot op:export'), 'event-list');
    expect(exports.events[0]?.entityType).toBe('report');
  });
});

describe('access', () => {
  it.each(['op:delete', 'show del-sales', 'report when:90d', 'status', 'filter op:delete'])(
    'refuses a non-admin %j without leaking anything',
    async (text) => {
      const reply = expectKind(await ask(text, stranger), 'notice');
      expect(reply.text).toMatch(/only available to this tenant’s auditbot admins/);
      expect(reply.hint).toContain('slack:USTRANGER');
      expect(JSON.stringify(reply)).not.toMatch(/Sales|del-sales|\d+ events/);
    },
  );

  it('answers whoami and help to anyone', async () => {
    const me = expectKind(await ask('whoami', stranger), 'summary');
    expect(me.facts.find((f) => f.label === 'Admin')?.value).toBe('no');
    expect(expectKind(await ask('help', stranger), 'help').examples.length).toBeGreaterThan(3);
  });

  it('refuses a workspace bound to no tenant', async () => {
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const path = join(bot.directory, 'tenants.yml');
    writeFileSync(path, 'tenants:\n  - customerId: cust-1\n    slackTeamId: TBOUND\n    admins: [slack:UADMIN]\n');
    const bound = await startTestAuditbot({ AUDITBOT_CONFIG: path });
    try {
      const reply = await bound.bot.handle({
        principal: admin,
        workspace: { platform: 'slack', teamId: 'TOTHER' },
        text: 'op:delete',
      });
      expect(expectKind(reply, 'notice').text).toMatch(/not connected to any auditbot tenant/);
    } finally {
      await bound.dispose();
    }
  });
});

describe('status and filter', () => {
  it('summarises the store', async () => {
    const status = expectKind(await ask('status'), 'summary');
    const fact = (label: string) => status.facts.find((f) => f.label === label)?.value;
    expect(fact('Retention')).toBe('90 days');
    expect(Number(fact('Events stored')?.replace(/,/g, ''))).toBeGreaterThanOrEqual(7);
    expect(status.facts.some((f) => f.label === 'Source: ingest')).toBe(true);
  });

  it('prefills the filter form from the query', async () => {
    const form = expectKind(
      await ask('filter op:delete,update app:cc region:uk-eu who:alice when:7d "Sales team"'),
      'filter-form',
    );
    expect(form.values).toMatchObject({
      app: 'cc',
      region: 'uk-eu',
      when: '7d',
      ops: ['delete', 'update'],
      who: ['alice'],
      text: '"Sales team"',
    });
    expect(form.choices.regions).toContain('uk-eu');
    expect(form.choices.actors.map((a) => a.name)).toContain('Alice Martin');
  });
});
