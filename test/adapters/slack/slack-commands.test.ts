import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW, platformEvent, userEvent } from '../../helpers/auditbot.js';
import { allText, checkMessage } from './block-kit-limits.js';
import { buttons, clickPayload, type SlackHarness, startSlackHarness, until } from './harness.js';

const HOSTILE = '<!channel> <@U999> <https://evil.example|click me> & co';
let h: SlackHarness;
const iso = (msAgo: number) => new Date(NOW - msAgo).toISOString();

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'auditbot-slack-cfg-'));
  const configPath = join(dir, 'tenants.yml');
  writeFileSync(
    configPath,
    [
      'tenants:',
      '  - customerId: cust-1',
      '    admins: ["slack:UADMIN"]',
      '    editUrls:',
      '      ringgroup: "https://admin.example/ring-groups/{entityKey}"',
    ].join('\n'),
  );
  h = await startSlackHarness({ botEnv: { AUDITBOT_CONFIG: configPath, AUDITBOT_PAGE_SIZE: '2' } });
  await h.auditbot.store.append([
    userEvent('u-alice', 'Alice Martin'),
    userEvent('u-evil', HOSTILE),
    platformEvent({
      id: 'del-sales',
      eventType: 'delete',
      displayName: 'Sales – EMEA',
      entityKey: 'rg-sales',
      impersonator: 'SUP-81',
      auditTimestamp: iso(2 * 3_600_000),
      details: { old: { name: 'Sales – EMEA', huntPolicy: 'round-robin' } },
    }),
    platformEvent({
      id: 'upd-support',
      displayName: 'Support',
      entityKey: 'rg-support',
      auditTimestamp: iso(3 * 3_600_000),
      details: { new: { huntPolicy: 'simultaneous', timeout: 30 }, old: { huntPolicy: 'round-robin', moh: 'jazz' } },
    }),
    platformEvent({
      id: 'del-evil',
      eventType: 'delete',
      displayName: HOSTILE,
      entityKey: 'rg-evil',
      auditUserId: 'u-evil',
      auditTimestamp: iso(4 * 3_600_000),
      details: { old: { name: HOSTILE } },
    }),
    platformEvent({
      id: 'del-old',
      eventType: 'delete',
      displayName: 'Old group',
      entityKey: 'rg-old',
      auditTimestamp: iso(5 * 3_600_000),
    }),
  ]);
});
afterAll(() => h.close());

/** Waits for the n-th (1-based) response posted to a named response_url and checks it against the limits. */
async function response(name: string, n = 1): Promise<Record<string, unknown>> {
  const body = await until(() => h.responses.to(name)[n - 1]);
  expect(checkMessage(body)).toEqual([]);
  return body;
}

describe('request verification (Bolt)', () => {
  it('refuses a bad signature with 401 and calls no Web API method', async () => {
    const before = h.slack.calls.length;
    const res = await h.post('command=%2Faudit&text=op%3Adelete', 'application/x-www-form-urlencoded', {
      secret: 'wrong-secret',
    });
    expect(res.status).toBe(401);
    await new Promise((r) => setTimeout(r, 100));
    expect(h.slack.calls.length).toBe(before);
    expect(h.responses.responses.length).toBe(0);
  });

  it('refuses a stale timestamp (older than 5 minutes) with 401', async () => {
    const before = h.slack.calls.length;
    const res = await h.post('command=%2Faudit&text=op%3Adelete', 'application/x-www-form-urlencoded', {
      timestamp: Math.floor(Date.now() / 1000) - 6 * 60,
    });
    expect(res.status).toBe(401);
    expect(h.slack.calls.length).toBe(before);
  });
});

describe('/audit <query>', () => {
  it('acks at once and answers ephemerally with the event list', async () => {
    const started = Date.now();
    const res = await h.command('op:delete', { responseName: 'list' });
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1000);
    const body = await response('list');
    expect(body.response_type).toBe('ephemeral');
    const text = allText(body.blocks);
    expect(text).toContain('3 events match op:delete');
    expect(text).toMatch(/<!date\^\d+\^\{date_short_pretty\} \{time\}\|2026-11-26 10:00 UTC>/);
    // The impersonator is flagged first.
    expect(text).toMatch(/:warning: \*SUP-81\* _acting as_ u-alice|:warning: \*SUP-81\* _acting as_ Alice Martin/);
    expect(text).toContain('complete up to');
    const labels = buttons(body).map((b) => b.text.text);
    expect(labels).toEqual(expect.arrayContaining(['Details', 'Show changes', 'Next →', 'Share in channel', 'Refine']));
  });

  it('escapes hostile names so they ping no one', async () => {
    await h.command('key:rg-evil', { responseName: 'hostile' });
    const body = await response('hostile');
    const text = allText(body.blocks);
    expect(text).toContain('&lt;!channel&gt; &lt;@U999&gt; &lt;https://evil.example|click me&gt; &amp; co');
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<@U999>');
  });

  it('posts in the channel with --public', async () => {
    await h.command('op:delete --public', { responseName: 'public' });
    const body = await response('public');
    expect(body.response_type).toBe('in_channel');
    expect(allText(body.blocks)).toContain('match op:delete');
  });

  it('verifies the audit trail in place for an admin, and refuses a non-admin', async () => {
    await h.command('verify', { responseName: 'verify' });
    const body = await response('verify');
    const text = allText(body.blocks);
    expect(text).toContain('Audit trail intact');
    expect(text).toMatch(/intact: \d+ events, head [0-9a-f]{4}…/);
    await h.command('verify', { user: 'USTRANGER', responseName: 'verify-stranger' });
    expect(JSON.stringify(await response('verify-stranger'))).toContain('only available to this tenant');
  });

  it('refuses a non-admin ephemerally, with no event data', async () => {
    await h.command('op:delete --public', { user: 'USTRANGER', responseName: 'stranger' });
    const body = await response('stranger');
    expect(body.response_type).toBe('ephemeral');
    const text = JSON.stringify(body);
    expect(text).toContain('only available to this tenant');
    for (const secret of ['Sales', 'rg-sales', 'Support', 'SUP-81']) expect(text).not.toContain(secret);
  });

  it('pages with Next and Previous, replacing the message in place', async () => {
    await h.command('op:delete', { responseName: 'paging' });
    const first = await response('paging');
    const next = buttons(first).find((b) => b.text.text === 'Next →');
    expect(next?.value).toBeDefined();
    await h.action(clickPayload(next as { action_id: string }, { responseName: 'page-2', responses: h.responses }));
    const second = await response('page-2');
    expect(second.replace_original).toBe(true);
    expect(allText(second.blocks)).toContain('Showing 3–3 of 3');
    const prev = buttons(second).find((b) => b.text.text === '← Previous');
    await h.action(clickPayload(prev as { action_id: string }, { responseName: 'page-1', responses: h.responses }));
    expect(allText((await response('page-1')).blocks)).toContain('Showing 1–2 of 3');
  });

  it('refuses a non-admin clicking a button, leaving the message alone', async () => {
    await h.command('op:delete', { responseName: 'for-click' });
    const list = await response('for-click');
    const show = buttons(list).find((b) => b.text.text === 'Show changes');
    await h.action(
      clickPayload(show as { action_id: string }, {
        user: 'USTRANGER',
        responseName: 'stranger-click',
        responses: h.responses,
      }),
    );
    const body = await response('stranger-click');
    expect(body.replace_original).toBe(false);
    expect(body.response_type).toBe('ephemeral');
    expect(JSON.stringify(body)).not.toContain('round-robin');
  });
});

describe('Show changes / Hide changes', () => {
  it('expands the diff in place, collapses it again and links to the Admin Console', async () => {
    await h.command('key:rg-support', { responseName: 'diff-list' });
    const list = await response('diff-list');
    const show = buttons(list).find((b) => b.text.text === 'Show changes');
    await h.action(clickPayload(show as { action_id: string }, { responseName: 'diff', responses: h.responses }));
    const expanded = await response('diff');
    expect(expanded.replace_original).toBe(true);
    const text = allText(expanded.blocks);
    expect(text).toContain('- huntPolicy: round-robin\n+ huntPolicy: simultaneous');
    expect(text).toContain('- moh: jazz');
    expect(text).toContain('+ timeout: 30');
    expect(text).not.toContain('- timeout');
    const edit = buttons(expanded).find((b) => b.text.text === 'Edit in Admin Console');
    expect(edit?.url).toBe('https://admin.example/ring-groups/rg-support');
    const hide = buttons(expanded).find((b) => b.text.text === 'Hide changes');
    await h.action(clickPayload(hide as { action_id: string }, { responseName: 'collapsed', responses: h.responses }));
    const collapsed = await response('collapsed');
    expect(allText(collapsed.blocks)).not.toContain('huntPolicy');
    expect(buttons(collapsed).map((b) => b.text.text)).toContain('Show changes');
    const back = buttons(collapsed).find((b) => b.text.text === '← Back to results');
    await h.action(clickPayload(back as { action_id: string }, { responseName: 'back', responses: h.responses }));
    expect(allText((await response('back')).blocks)).toContain('1 event matches key:rg-support');
  });

  it('Details shows the event facts with the impersonation flagged', async () => {
    await h.command('key:rg-sales', { responseName: 'details-list' });
    const details = buttons(await response('details-list')).find((b) => b.text.text === 'Details');
    await h.action(clickPayload(details as { action_id: string }, { responseName: 'details', responses: h.responses }));
    const text = allText((await response('details')).blocks);
    expect(text).toContain('id `del-sales`');
    expect(text).toContain(':warning: Impersonated: *SUP-81*');
  });
});

describe('show, status, help, whoami', () => {
  it.each([
    ['show upd-support', 'simultaneous'],
    ['status', 'Events stored'],
    ['help', '/audit report &lt;query&gt;'],
    ['whoami', 'slack:UADMIN'],
  ])('/audit %s', async (text, expected) => {
    await h.command(text, { responseName: `sub-${text}` });
    const body = await response(`sub-${text}`);
    expect(body.response_type).toBe('ephemeral');
    expect(allText(body.blocks)).toContain(expected);
  });
});
