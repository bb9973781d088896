import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSlackAlertNotifier } from '../../adapters/slack/alert-notifier.js';
import { matchNewEvents } from '../../src/alerts/matcher.js';
import { AlertRules } from '../../src/alerts/rules.js';
import { startAlerts } from '../../src/alerts/start-alerts.js';
import { type Auditbot, createAuditbot } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics.js';
import { until } from '../adapters/slack/harness.js';
import { type FakeSlackWebApi, startFakeSlackWebApi } from '../fakes/slack-web-api.js';
import { NOW, platformEvent } from '../helpers/auditbot.js';

const logger = createLogger({ level: 'silent' });
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup() {
  const directory = mkdtempSync(join(tmpdir(), 'auditbot-alerts-'));
  const slack = await startFakeSlackWebApi();
  const clock = { now: NOW };
  const config = loadConfig({
    DATABASE_URL: `sqlite:${join(directory, 'auditbot.db')}`,
    AUDITBOT_CUSTOMER_ID: 'cust-1',
    AUDITBOT_ADMINS: 'slack:UADMIN',
    AUDITBOT_REPORT_DIR: join(directory, 'reports'),
    AUDITBOT_ALERT_SLACK_CHANNEL: 'CSEC',
  });
  const open = () =>
    createAuditbot(config, { clock: () => clock.now, logger, metrics: createMetrics({ defaultMetrics: false }) });
  const notifier = createSlackAlertNotifier({ token: 'xoxb-test', apiUrl: slack.apiUrl });
  cleanups.push(async () => {
    await slack.close();
    rmSync(directory, { recursive: true, force: true });
  });
  const run = (auditbot: Auditbot) => {
    const alerts = startAlerts({ auditbot, notifiers: [notifier], logger, pollMs: 50 });
    cleanups.push(() => alerts.stop());
    return alerts;
  };
  return { slack, clock, open, run, config };
}

const posted = (slack: FakeSlackWebApi) => slack.callsTo('chat.postMessage');
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

describe('alert rules over time', () => {
  it('a muted rule stays silent and speaks again once the mute is over', async () => {
    const { slack, clock, open, run } = await setup();
    const auditbot = await open();
    cleanups.push(() => auditbot.close());
    const alerts = run(auditbot);
    await alerts.flush();
    const admin = {
      principal: { platform: 'slack' as const, id: 'UADMIN' },
      workspace: { platform: 'slack' as const, teamId: 'T1' },
    };
    const muted = await auditbot.bot.handle({ ...admin, text: 'alerts mute 1 1h' });
    expect(muted.kind === 'notice' && muted.text).toContain('muted until');
    await auditbot.store.append([platformEvent({ id: 'while-muted', eventType: 'delete' })]);
    await alerts.flush();
    await settle();
    expect(posted(slack)).toHaveLength(0);
    clock.now = NOW + 2 * 3_600_000;
    await auditbot.store.append([
      platformEvent({
        id: 'after-mute',
        eventType: 'delete',
        auditTimestamp: new Date(clock.now - 60_000).toISOString(),
      }),
    ]);
    const [post] = await until(() => (posted(slack).length > 0 ? posted(slack) : undefined));
    expect(JSON.stringify(post?.args)).toContain('after-mute');
    const list = await auditbot.bot.handle({ ...admin, text: 'alerts' });
    expect(list.kind === 'alert-rules' && list.rules.find((r) => r.id === '1')?.lastFiredAt).toBeTruthy();
  });

  it('importing last year’s deletes alerts nobody', async () => {
    const { slack, open, run } = await setup();
    const auditbot = await open();
    cleanups.push(() => auditbot.close());
    const alerts = run(auditbot);
    await alerts.flush();
    const lastYear = Array.from({ length: 50 }, (_, i) =>
      platformEvent({
        id: `old-${i}`,
        eventType: 'delete',
        source: 'import',
        auditTimestamp: new Date(NOW - 365 * 86_400_000 + i).toISOString(),
      }),
    );
    expect((await auditbot.store.append(lastYear)).inserted).toBe(50);
    await alerts.flush();
    await settle();
    expect(posted(slack)).toHaveLength(0);
    expect(await auditbot.store.alertOutbox.pending('slack:CSEC', 100)).toEqual([]);
  });

  it('after a crash between enqueue and send, pending alerts go out once and sent ones never again', async () => {
    const { slack, open, run, config } = await setup();
    // First life: rules seeded, two deletes matched into the outbox, one of them already posted — then killed.
    const first = await open();
    const rules = new AlertRules(first.store);
    await rules.ensureDefaults(config.defaultTenant, NOW);
    const outbox = first.store.alertOutbox;
    if (!outbox) throw new Error('sqlite store has an outbox');
    const deps = {
      store: first.store,
      outbox,
      rules,
      config,
      logger,
      clock: () => NOW,
      wallClock: Date.now,
      actors: (id: string) => first.actors.list(id),
      freshnessMs: 86_400_000,
    };
    await matchNewEvents(deps);
    await first.store.append([
      platformEvent({ id: 'posted-before-crash', eventType: 'delete' }),
      platformEvent({ id: 'pending-at-crash', eventType: 'delete' }),
    ]);
    await matchNewEvents(deps);
    const [already] = await outbox.pending('slack:CSEC', 10);
    if (!already) throw new Error('nothing enqueued');
    await outbox.markSent([already.id], 'CSEC/1700000000.000001', Date.now());
    await first.close();

    const second = await open();
    cleanups.push(() => second.close());
    run(second);
    const [post] = await until(() => (posted(slack).length > 0 ? posted(slack) : undefined));
    await settle();
    expect(posted(slack)).toHaveLength(1);
    expect(JSON.stringify(post?.args)).toContain('pending-at-crash');
    expect(JSON.stringify(post?.args)).not.toContain('posted-before-crash');
  });
});
