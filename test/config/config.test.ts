import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'auditbot-config-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('loadConfig', () => {
  it('has sane defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config.databaseUrl).toBe('sqlite:./data/auditbot.db');
    expect(config.port).toBe(3000);
    expect(config.retentionDays).toBe(90);
    expect(config.defaultTenant.customerId).toBe('demo-customer');
    expect(config.tenants).toHaveLength(1);
    expect(config.defaultTenant.ingestToken).toBeUndefined();
  });

  it('reads every documented variable', () => {
    const config = loadConfig({
      DATABASE_URL: 'sqlite::memory:',
      PORT: '8080',
      AUDITBOT_CUSTOMER_ID: '0012345QAB',
      AUDITBOT_ADMINS: 'slack:U01, teams:6f1c-aad ,console:ops',
      AUDITBOT_RETENTION_DAYS: '30',
      AUDITBOT_INGEST_TOKEN: 'a-long-random-ingest-secret',
      AUDITBOT_REPORT_DIR: '/tmp/reports',
    });
    expect(config.port).toBe(8080);
    expect(config.retentionDays).toBe(30);
    expect(config.defaultTenant).toMatchObject({
      customerId: '0012345QAB',
      admins: ['slack:U01', 'teams:6f1c-aad', 'console:ops'],
      ingestToken: 'a-long-random-ingest-secret',
    });
    expect(config.reportDirectory).toBe('/tmp/reports');
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT/],
    [{ AUDITBOT_RETENTION_DAYS: '0' }, /AUDITBOT_RETENTION_DAYS/],
    [{ AUDITBOT_ADMINS: 'U0123' }, /AUDITBOT_ADMINS: "U0123"/],
    [{ AUDITBOT_INGEST_TOKEN: 'short' }, /AUDITBOT_INGEST_TOKEN.*16/],
    [{ AUDITBOT_LOG_LEVEL: 'loud' }, /AUDITBOT_LOG_LEVEL/],
    [{ AUDITBOT_CONFIG: '/nonexistent/auditbot.yml' }, /AUDITBOT_CONFIG: cannot read/],
  ])('fails fast naming the variable for %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('reads several tenants from a YAML file and merges env admins into the default tenant', () => {
    const path = file(
      'tenants.yml',
      [
        'tenants:',
        '  - customerId: acme',
        '    slackTeamId: T0ACME',
        '    admins: [slack:U1]',
        '    regions: [UK-EU, us]',
        '    editUrls: { user: "https://admin.example/users/{entityKey}" }',
        '  - customerId: globex',
        '    teamsTenantId: 72f988bf',
        '    ingestToken: globex-ingest-token-0001',
      ].join('\n'),
    );
    const config = loadConfig({ AUDITBOT_CONFIG: path, AUDITBOT_CUSTOMER_ID: 'acme', AUDITBOT_ADMINS: 'console:ops' });
    expect(config.tenants.map((t) => t.customerId)).toEqual(['acme', 'globex']);
    expect(config.defaultTenant.admins).toEqual(['slack:U1', 'console:ops']);
    expect(config.defaultTenant.regions).toEqual(['uk-eu', 'us']);
    expect(config.tenants[1]?.ingestToken).toBe('globex-ingest-token-0001');
  });

  it('reads JSON config files too', () => {
    const path = file('tenants.json', JSON.stringify({ tenants: [{ customerId: 'solo', admins: ['teams:abc'] }] }));
    expect(loadConfig({ AUDITBOT_CONFIG: path }).defaultTenant.customerId).toBe('solo');
  });

  it('rejects a config file binding one workspace to two tenants', () => {
    const path = file(
      'dup.yml',
      'tenants:\n  - customerId: a\n    slackTeamId: T1\n  - customerId: b\n    slackTeamId: T1\n',
    );
    expect(() => loadConfig({ AUDITBOT_CONFIG: path })).toThrow(/slackTeamId T1 is used by two tenants/);
  });

  it('names the bad field of a config file', () => {
    const path = file('bad.yml', 'tenants:\n  - customerId: a\n    admins: [alice]\n');
    expect(() => loadConfig({ AUDITBOT_CONFIG: path })).toThrow(/tenants\.0\.admins\.0/);
  });

  it('rejects malformed YAML with the file name', () => {
    const path = file('broken.yml', 'tenants: [\n');
    expect(() => loadConfig({ AUDITBOT_CONFIG: path })).toThrow(/broken\.yml is not valid YAML/);
  });
});

describe('loadConfig: 8x8 Audit Records API sync', () => {
  it('syncs nothing and uses the documented defaults without a key', () => {
    const config = loadConfig({});
    expect(config.defaultTenant.eightx8).toEqual([]);
    expect(config.defaultTenant.eightx8Users).toBeUndefined();
    expect(config.eightx8Sync).toEqual({ pollSeconds: 60, overlapMinutes: 15, rateLimitPerMinute: 100 });
  });

  it('fills the default tenant with one source per service from the EIGHTX8_* variables', () => {
    const config = loadConfig({
      EIGHTX8_API_KEY: 'key-1',
      EIGHTX8_SERVICES: 'platform, VCCSS',
      EIGHTX8_REGION: 'UK-EU',
      EIGHTX8_POLL_SECONDS: '120',
      EIGHTX8_OVERLAP_MINUTES: '30',
      EIGHTX8_RATE_LIMIT_PER_MINUTE: '0',
      EIGHTX8_USERS_API_KEY: 'users-key',
      EIGHTX8_USERS_API_URL: 'http://127.0.0.1:9/',
    });
    const base = 'https://api.8x8.com/administration/audit/v1';
    expect(config.defaultTenant.eightx8).toEqual([
      { service: 'platform', region: 'uk-eu', apiKey: 'key-1', baseUrl: base },
      { service: 'vccss', region: 'uk-eu', apiKey: 'key-1', baseUrl: base },
    ]);
    expect(config.defaultTenant.eightx8Users).toEqual({ apiKey: 'users-key', baseUrl: 'http://127.0.0.1:9/' });
    expect(config.eightx8Sync).toEqual({ pollSeconds: 120, overlapMinutes: 30, rateLimitPerMinute: 0 });
  });

  it('takes a users key alone: names for imported events need no sync', () => {
    const config = loadConfig({ EIGHTX8_USERS_API_KEY: 'users-key' });
    expect(config.defaultTenant.eightx8).toEqual([]);
    expect(config.defaultTenant.eightx8Users).toEqual({ apiKey: 'users-key', baseUrl: undefined });
  });

  it('keeps a config file tenant’s own sources and gives env sources to one that has none', () => {
    const path = file(
      'eightx8.yml',
      [
        'tenants:',
        '  - customerId: acme',
        '  - customerId: globex',
        '    eightx8: [{ service: vccss, region: us, apiKey: globex-key, baseUrl: "https://us.example/audit/v1" }]',
      ].join('\n'),
    );
    const config = loadConfig({ AUDITBOT_CONFIG: path, AUDITBOT_CUSTOMER_ID: 'acme', EIGHTX8_API_KEY: 'acme-key' });
    expect(config.defaultTenant.eightx8.map((s) => [s.service, s.apiKey])).toEqual([['platform', 'acme-key']]);
    expect(config.tenants[1]?.eightx8).toEqual([
      { service: 'vccss', region: 'us', apiKey: 'globex-key', baseUrl: 'https://us.example/audit/v1' },
    ]);
  });

  it.each([
    [{ EIGHTX8_API_URL: 'not a url', EIGHTX8_API_KEY: 'k' }, /EIGHTX8_API_URL/],
    [{ EIGHTX8_POLL_SECONDS: '0' }, /EIGHTX8_POLL_SECONDS/],
    [{ EIGHTX8_OVERLAP_MINUTES: '-5' }, /EIGHTX8_OVERLAP_MINUTES/],
    [{ EIGHTX8_RATE_LIMIT_PER_MINUTE: 'lots' }, /EIGHTX8_RATE_LIMIT_PER_MINUTE/],
    [{ EIGHTX8_SERVICES: 'platform;vccss', EIGHTX8_API_KEY: 'k' }, /EIGHTX8_SERVICES: expected service names/],
    [
      { EIGHTX8_SERVICES: 'vccss' },
      /EIGHTX8_API_KEY: missing, but EIGHTX8_SERVICES is set.*Admin Console under API Keys/,
    ],
    [{ EIGHTX8_REGION: 'us' }, /EIGHTX8_API_KEY: missing, but EIGHTX8_REGION is set/],
  ])('fails fast naming the variable for %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
