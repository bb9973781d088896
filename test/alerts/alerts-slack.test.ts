import { afterEach, describe, expect, it } from 'vitest';
import { type RunningAlerts, startAlerts } from '../../src/alerts/start-alerts.js';
import { createLogger } from '../../src/logger.js';
import { buttons, clickPayload, type SlackHarness, startSlackHarness, until } from '../adapters/slack/harness.js';
import { NOW, platformEvent } from '../helpers/auditbot.js';

const logger = createLogger({ level: process.env.ALERT_DEBUG ? 'debug' : 'silent' });
let harness: SlackHarness | undefined;
let alerts: RunningAlerts | undefined;

afterEach(async () => {
  await alerts?.stop();
  await harness?.close();
  alerts = undefined;
  harness = undefined;
});

async function start(extraEnv: Record<string, string> = {}) {
  harness = await startSlackHarness({ botEnv: { AUDITBOT_ALERT_SLACK_CHANNEL: 'CSEC', ...extraEnv } });
  alerts = startAlerts({ auditbot: harness.auditbot, notifiers: [harness.surface.notifier], logger, pollMs: 50 });
  // Seeds the default rules and places the cursor at the newest stored event.
  await alerts.flush();
  return { h: harness, a: alerts };
}

const posts = (h: SlackHarness) => h.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === 'CSEC');

describe('alerts on Slack', () => {
  it('posts one alert for one delete, with who, what, the impersonator and the buttons', async () => {
    const { h } = await start();
    await h.auditbot.store.append([
      platformEvent({
        id: 'del-1',
        eventType: 'delete',
        displayName: 'Sales hunt group',
        auditUserId: 'u-mallory',
        impersonator: 'partner-support',
        details: { old: { name: 'Sales', voicemailPin: '4321' } },
      }),
    ]);
    const [post] = await until(() => (posts(h).length > 0 ? posts(h) : undefined));
    const body = JSON.stringify(post?.args.blocks);
    expect(body).toContain('deleted');
    expect(body).toContain('Sales hunt group');
    expect(body).toContain('u-mallory');
    expect(body).toContain(':warning: *partner-support* _acting as_');
    expect(body).toContain('op:delete');
    expect(body).not.toContain('4321');
    expect(buttons(post?.args ?? {}).map((b) => b.text.text)).toEqual([
      'Details',
      'Show changes',
      'Mute rule 1 h',
      'Mute rule 24 h',
    ]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(posts(h)).toHaveLength(1);
  });

  it('paces single alerts about one a second per channel', async () => {
    const { h } = await start();
    for (const id of ['p1', 'p2', 'p3']) await h.auditbot.store.append([platformEvent({ id, eventType: 'delete' })]);
    const three = await until(() => (posts(h).length >= 3 ? posts(h) : undefined), 8000);
    const gaps = three.slice(1).map((c, i) => c.at - (three[i]?.at ?? 0));
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(1000);
  });

  it('collapses a burst of 500 deletes into a digest whose CSV lists all 500', async () => {
    const { h, a } = await start();
    const burst = Array.from({ length: 500 }, (_, i) =>
      platformEvent({
        id: `burst-${i}`,
        entityKey: `burst-key-${i}`,
        eventType: 'delete',
        auditTimestamp: new Date(NOW - 1000 - i).toISOString(),
      }),
    );
    await h.auditbot.store.append(burst);
    await until(() => h.slack.uploads.length > 0, 8000);
    await a.flush();
    expect(posts(h).length).toBeLessThanOrEqual(3);
    const digest = posts(h)[0];
    expect(JSON.stringify(digest?.args.blocks)).toContain('500 alerts');
    const csv = h.slack.uploads.map((u) => u.bytes.toString('utf8')).join('');
    const rows = csv.split('\n').filter((line) => line.includes('burst-key-'));
    expect(rows).toHaveLength(500);
    const ids = new Set(burst.map((e) => e.entityKey).filter((key) => csv.includes(`,${key},`)));
    expect(ids.size).toBe(500);
    const outbox = h.auditbot.store.alertOutbox;
    const left = await outbox?.pending('slack:CSEC', 1000);
    expect(left?.length, JSON.stringify(left?.[0])).toBe(0);
  });

  it('refuses a non-admin’s mute click and mutes for an admin', async () => {
    const { h } = await start();
    await h.auditbot.store.append([platformEvent({ id: 'del-m', eventType: 'delete' })]);
    const [post] = await until(() => (posts(h).length > 0 ? posts(h) : undefined));
    const mute = buttons(post?.args ?? {}).find((b) => b.text.text === 'Mute rule 1 h');
    if (!mute) throw new Error('no mute button');
    await h.action(
      clickPayload(mute, { user: 'USTRANGER', responseName: 'stranger', ephemeral: false, responses: h.responses }),
    );
    const refused = await until(() => h.responses.to('stranger')[0]);
    expect(JSON.stringify(refused)).toContain('only available to this tenant');
    expect(
      (
        await h.auditbot.bot.handle({
          principal: { platform: 'console', id: 'op' },
          workspace: { platform: 'console' },
          text: 'alerts',
        })
      ).kind,
    ).toBe('alert-rules');
    await h.action(
      clickPayload(mute, { user: 'UADMIN', responseName: 'admin', ephemeral: false, responses: h.responses }),
    );
    const muted = await until(() => h.responses.to('admin')[0]);
    expect(JSON.stringify(muted)).toContain('is muted until');
  });
});
