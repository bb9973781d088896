import { afterEach, describe, expect, it } from 'vitest';
import { type RunningAlerts, startAlerts } from '../../src/alerts/start-alerts.js';
import { createLogger } from '../../src/logger.js';
import { until } from '../adapters/slack/harness.js';
import {
  adaptiveCardsOf,
  cardText,
  STRANGER,
  startTeamsHarness,
  type TeamsHarness,
} from '../adapters/teams/harness.js';
import { NOW, platformEvent } from '../helpers/auditbot.js';

const logger = createLogger({ level: process.env.ALERT_DEBUG ? 'debug' : 'silent' });
let harness: TeamsHarness | undefined;
let alerts: RunningAlerts | undefined;

afterEach(async () => {
  await alerts?.stop();
  await harness?.close();
  alerts = undefined;
  harness = undefined;
});

const SECURITY = '19:security-channel@thread.tacv2';

async function start() {
  const h = await startTeamsHarness({ now: NOW });
  harness = h;
  alerts = startAlerts({ auditbot: h.auditbot, notifiers: [h.surface.notifier], logger, pollMs: 50 });
  await alerts.flush();
  const here = await h.post(h.activity('channel', { text: 'audit alerts here' }));
  expect(here.status).toBeLessThan(300);
  await until(() => h.connector.activities().length > 0);
  h.connector.reset();
  return { h, a: alerts };
}

const alertPosts = (h: TeamsHarness) =>
  h.connector.activities().filter((c) => c.kind === 'send' && c.conversationId === SECURITY);

describe('alerts on Teams', () => {
  it('`audit alerts here` then one delete → one proactive card in that channel', async () => {
    const { h } = await start();
    await h.auditbot.store.append([
      platformEvent({ id: 'tdel-1', eventType: 'delete', displayName: 'Night queue', impersonator: 'partner-x' }),
    ]);
    const [post] = await until(() => (alertPosts(h).length > 0 ? alertPosts(h) : undefined));
    const text = cardText(adaptiveCardsOf(post?.activity ?? null)[0]);
    expect(text).toContain('Alert — rule');
    expect(text).toContain('Night queue');
    expect(text).toContain('Impersonated');
    expect(text).toContain('[Mute rule 1 h]');
    expect(text).toContain('[Details]');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(alertPosts(h)).toHaveLength(1);
  });

  it('a burst of 500 → one digest card whose CSV link serves all 500', async () => {
    const { h } = await start();
    await h.auditbot.store.append(
      Array.from({ length: 500 }, (_, i) =>
        platformEvent({ id: `tb-${i}`, entityKey: `tb-key-${i}`, eventType: 'delete' }),
      ),
    );
    const [post] = await until(() => (alertPosts(h).length > 0 ? alertPosts(h) : undefined), 8000);
    const card = adaptiveCardsOf(post?.activity ?? null)[0] as { actions?: { url?: string }[] };
    expect(cardText(card)).toContain('500 alerts');
    const url = card.actions?.find((a) => a.url)?.url ?? '';
    const csv = await (await fetch(url.replace(/^https?:\/\/[^/]+/, h.baseUrl))).text();
    expect(csv.split('\n').filter((l) => l.includes('tb-key-'))).toHaveLength(500);
    expect(alertPosts(h)).toHaveLength(1);
  });

  it('a stranger pressing Mute is refused and the rule stays live', async () => {
    const { h } = await start();
    const rulesBefore = await h.auditbot.bot.handle({
      principal: { platform: 'console', id: 'op' },
      workspace: { platform: 'console' },
      text: 'alerts',
    });
    const ruleId = rulesBefore.kind === 'alert-rules' ? (rulesBefore.rules.at(-1)?.id ?? '') : '';
    await h.post(
      h.activity('channel', { from: STRANGER, value: { verb: 'audit-alert-mute', ruleId, duration: '1h' } }),
    );
    const refusal = await until(() => h.connector.activities()[0]);
    expect(cardText(adaptiveCardsOf(refusal.activity)[0])).toContain('only available to this tenant');
    const after = await h.auditbot.bot.handle({
      principal: { platform: 'console', id: 'op' },
      workspace: { platform: 'console' },
      text: 'alerts',
    });
    expect(after.kind === 'alert-rules' && after.rules.every((r) => r.mutedUntil === null)).toBe(true);
  });
});
