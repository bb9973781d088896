import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTeamsConfig } from '../../../adapters/teams/config.js';
import { NOW, platformEvent } from '../../helpers/auditbot.js';
import { startTeamsHarness, type TeamsHarness } from './harness.js';

describe('with MICROSOFT_APP_ID set', () => {
  let h: TeamsHarness;
  beforeAll(async () => {
    h = await startTeamsHarness({
      now: NOW,
      env: { MICROSOFT_APP_ID: '11111111-2222-3333-4444-555555555555', MICROSOFT_APP_PASSWORD: 'client-secret-value' },
    });
    await h.auditbot.store.append([platformEvent({ id: 'del-1', eventType: 'delete' })]);
  });
  afterAll(() => h.close());

  it('refuses a request without a Bot Framework token with 401, and nothing runs', async () => {
    const { status } = await h.post(h.activity('personal', { text: 'audit op:delete' }));
    expect(status).toBe(401);
    expect(h.connector.calls).toEqual([]);
    // Not even the query was recorded: the bot never saw it.
    expect((await h.auditbot.store.stats('cust-1')).events).toBe(1);
  });

  it('refuses a forged invoke the same way', async () => {
    const { status } = await h.post(
      h.activity('personal', { type: 'invoke', name: 'task/fetch', value: { data: { verb: 'audit-filter' } } }),
    );
    expect(status).toBe(401);
    expect(h.connector.calls).toEqual([]);
  });
});

describe('unauthenticated local mode', () => {
  let h: TeamsHarness;
  beforeAll(async () => {
    h = await startTeamsHarness({ now: NOW });
  });
  afterAll(() => h.close());

  it('only believes a Bot Connector on this machine', async () => {
    const { status } = await h.post(
      h.activity('personal', { text: 'audit help', serviceUrl: 'https://evil.example.com/' }),
    );
    expect(status).toBe(403);
    expect(h.connector.calls).toEqual([]);
  });
});

describe('loadTeamsConfig', () => {
  it('is off without an app id unless unauthenticated mode is asked for', () => {
    expect(loadTeamsConfig({})).toBeNull();
    expect(loadTeamsConfig({ AUDITBOT_TEAMS_ALLOW_UNAUTHENTICATED: 'true' })).toMatchObject({
      unauthenticated: true,
      appId: null,
      reportLinkMinutes: 15,
    });
  });

  it('keeps authentication on whenever an app id is set', () => {
    const config = loadTeamsConfig({
      MICROSOFT_APP_ID: 'app',
      MICROSOFT_APP_PASSWORD: 'pw',
      AUDITBOT_TEAMS_ALLOW_UNAUTHENTICATED: 'true',
    });
    expect(config).toMatchObject({ unauthenticated: false, appId: 'app', appType: 'MultiTenant' });
  });

  it.each([
    [{ MICROSOFT_APP_ID: 'app' }, /MICROSOFT_APP_PASSWORD/],
    [
      { MICROSOFT_APP_ID: 'app', MICROSOFT_APP_PASSWORD: 'pw', MICROSOFT_APP_TYPE: 'SingleTenant' },
      /MICROSOFT_APP_TENANT_ID/,
    ],
    [{ MICROSOFT_APP_ID: 'app', MICROSOFT_APP_PASSWORD: 'pw', MICROSOFT_APP_TYPE: 'Other' }, /MICROSOFT_APP_TYPE/],
    [
      { AUDITBOT_TEAMS_ALLOW_UNAUTHENTICATED: 'true', AUDITBOT_REPORT_LINK_MINUTES: '0' },
      /AUDITBOT_REPORT_LINK_MINUTES/,
    ],
  ])('fails fast naming the variable: %j', (env, message) => {
    expect(() => loadTeamsConfig(env)).toThrow(message);
  });
});
