import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAdmin, tenantFor } from '../../src/access/access.js';
import { loadConfig } from '../../src/config.js';

const single = loadConfig({ AUDITBOT_CUSTOMER_ID: 'solo', AUDITBOT_ADMINS: 'slack:UADMIN,teams:aad-1' });
const path = join(mkdtempSync(join(tmpdir(), 'auditbot-access-')), 'tenants.yml');
writeFileSync(
  path,
  'tenants:\n  - customerId: acme\n    slackTeamId: TACME\n    admins: [slack:U1]\n  - customerId: globex\n    teamsTenantId: tid-globex\n    admins: [teams:aad-9]\n',
);
const multi = loadConfig({ AUDITBOT_CONFIG: path, AUDITBOT_CUSTOMER_ID: 'acme' });

describe('tenantFor', () => {
  it('binds every workspace to the single unbound tenant', () => {
    expect(tenantFor(single, { platform: 'slack', teamId: 'TANY' })?.customerId).toBe('solo');
    expect(tenantFor(single, { platform: 'teams', tenantId: 'x' })?.customerId).toBe('solo');
  });

  it('binds workspaces named in the config file and nothing else', () => {
    expect(tenantFor(multi, { platform: 'slack', teamId: 'TACME' })?.customerId).toBe('acme');
    expect(tenantFor(multi, { platform: 'teams', tenantId: 'tid-globex' })?.customerId).toBe('globex');
    expect(tenantFor(multi, { platform: 'slack', teamId: 'TOTHER' })).toBeNull();
    expect(tenantFor(multi, { platform: 'teams', tenantId: 'tid-acme' })).toBeNull();
  });

  it('gives the console the default tenant', () => {
    expect(tenantFor(multi, { platform: 'console' })?.customerId).toBe('acme');
  });
});

describe('isAdmin', () => {
  const tenant = single.defaultTenant;
  it.each([
    [{ platform: 'slack' as const, id: 'UADMIN' }, true],
    [{ platform: 'slack' as const, id: 'UOTHER' }, false],
    [{ platform: 'teams' as const, id: 'aad-1' }, true],
    [{ platform: 'teams' as const, id: 'UADMIN' }, false],
    [{ platform: 'console' as const, id: 'anyone' }, true],
  ])('%j → %s', (principal, expected) => {
    expect(isAdmin(tenant, principal, single.defaultTenant)).toBe(expected);
  });

  it('does not make admins of one tenant admins of another', () => {
    const globex = multi.tenants[1]!;
    expect(isAdmin(globex, { platform: 'slack', id: 'U1' }, multi.defaultTenant)).toBe(false);
    expect(isAdmin(globex, { platform: 'console', id: 'ops' }, multi.defaultTenant)).toBe(false);
  });
});
