import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotRequest } from '../../src/bot/router.js';
import type { Reply } from '../../src/replies/reply.js';
import { NOW, platformEvent, startTestAuditbot, type TestAuditbot } from '../helpers/auditbot.js';

let bot: TestAuditbot;
const admin: BotRequest['principal'] = { platform: 'slack', id: 'UADMIN' };
const ask = (text: string, principal = admin) =>
  bot.bot.handle({ principal, workspace: { platform: 'slack', teamId: 'T1' }, text });

function expectKind<K extends Reply['kind']>(reply: Reply, kind: K): Extract<Reply, { kind: K }> {
  expect(reply.kind, JSON.stringify(reply)).toBe(kind);
  return reply as Extract<Reply, { kind: K }>;
}

beforeAll(async () => {
  bot = await startTestAuditbot({ AUDITBOT_ALERT_SLACK_CHANNEL: 'CSEC' });
});
afterAll(() => bot.dispose());

describe('alerts commands', () => {
  it('lists the two default rules of a fresh tenant', async () => {
    const list = expectKind(await ask('alerts'), 'alert-rules');
    expect(list.rules.map((r) => [r.query, r.platform, r.destination])).toEqual([
      ['op:delete', 'slack', 'CSEC'],
      ['op:bulk', 'slack', 'CSEC'],
    ]);
    expect(list.rules.every((r) => r.lastFiredAt === null && r.mutedUntil === null)).toBe(true);
  });

  it('adds, mutes, unmutes, tests and removes a rule, recording each change', async () => {
    const added = expectKind(await ask('alerts add entity:user op:update to slack:C2 --digest'), 'alert-rules');
    const rule = added.rules.find((r) => r.destination === 'C2');
    expect(rule).toMatchObject({ query: 'op:update entity:user', platform: 'slack', mode: 'digest' });
    const id = rule?.id ?? '';

    const muted = expectKind(await ask(`alerts mute ${id} 24h`), 'notice');
    expect(muted.text).toContain('muted until 2026-11-27 12:00 UTC');
    const whileMuted = expectKind(await ask('alerts'), 'alert-rules');
    expect(Date.parse(whileMuted.rules.find((r) => r.id === id)?.mutedUntil ?? '')).toBe(NOW + 24 * 3_600_000);
    await ask(`alerts unmute ${id}`);
    const unmuted = expectKind(await ask('alerts'), 'alert-rules');
    expect(unmuted.rules.find((r) => r.id === id)?.mutedUntil).toBeNull();

    await bot.store.append([
      platformEvent({ id: 'upd-user-1', eventType: 'update', entityType: 'user', entityKey: 'u-77' }),
    ]);
    const tested = expectKind(await ask(`alerts test ${id}`), 'notice');
    expect(tested.text).toBe(
      `Test alert of rule ${id} queued: the newest match will be posted to slack:C2 in a moment.`,
    );
    const queued = await bot.store.alertOutbox.pending('slack:C2', 10);
    expect(queued?.map((row) => row.eventId)).toEqual(['upd-user-1']);

    await ask(`alerts remove ${id}`);
    const after = expectKind(await ask('alerts'), 'alert-rules');
    expect(after.rules.some((r) => r.id === id)).toBe(false);

    const changes = expectKind(await ask('app:auditbot entity:"alert rule"'), 'event-list');
    expect(changes.events.map((e) => e.eventType).sort()).toEqual(
      expect.arrayContaining(['create', 'delete', 'update']),
    );
  });

  it.each([
    ['alerts add', /query/i],
    ['alerts add usr:bob', /did you mean `who:`/],
    ['alerts remove no-such-rule', /no-such-rule/],
    ['alerts mute no-such-rule 1h', /no-such-rule/],
  ])('explains %j', async (text, message) => {
    const reply = expectKind(await ask(text), 'notice');
    expect(`${reply.text} ${reply.hint ?? ''}`).toMatch(message);
  });

  it('refuses a non-admin every rule command', async () => {
    for (const text of ['alerts', 'alerts add op:delete', 'alerts remove x']) {
      const reply = expectKind(await ask(text, { platform: 'slack', id: 'USTRANGER' }), 'notice');
      expect(reply.text).toMatch(/only available to this tenant’s auditbot admins/);
    }
  });
});
