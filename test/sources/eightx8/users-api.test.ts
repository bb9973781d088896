import { afterEach, describe, expect, it } from 'vitest';
import { createActorDirectory } from '../../../src/bot/actor-directory.js';
import { loadConfig } from '../../../src/config.js';
import { createUserNameResolver, nameFromUserRecord } from '../../../src/sources/eightx8/users-api.js';
import { type FakeEightX8Api, startFakeEightX8Api } from '../../fakes/eightx8-api.js';
import { startTestAuditbot, type TestAuditbot, userEvent } from '../../helpers/auditbot.js';

let fake: FakeEightX8Api;
let auditbot: TestAuditbot | undefined;
afterEach(async () => {
  await fake.close();
  await auditbot?.dispose();
  auditbot = undefined;
});

function usersRequests() {
  return fake.requests.filter((r) => r.path.startsWith('/admin-provisioning/users/'));
}

function resolverFor(env: Record<string, string>, clock: () => number = Date.now) {
  const config = loadConfig({ AUDITBOT_CUSTOMER_ID: 'cust-1', EIGHTX8_API_KEY: 'test-api-key', ...env });
  return createUserNameResolver({ tenants: config.tenants, clock });
}

describe('names for ids from the 8x8 user-management API', () => {
  it('looks an id up once, caches hits and misses, and sends the users key', async () => {
    fake = await startFakeEightX8Api();
    fake.users.set('HTbnKjGVQfK7X05JVOj_IF', { firstName: 'Ada', lastName: 'Lovelace' });
    const resolve = resolverFor({ EIGHTX8_USERS_API_KEY: 'test-users-key', EIGHTX8_USERS_API_URL: fake.usersUrl });
    expect(resolve).toBeDefined();
    const [a, b] = await Promise.all([
      resolve?.('cust-1', 'HTbnKjGVQfK7X05JVOj_IF'),
      resolve?.('cust-1', 'HTbnKjGVQfK7X05JVOj_IF'),
    ]);
    expect([a, b]).toEqual(['Ada Lovelace', 'Ada Lovelace']);
    expect(await resolve?.('cust-1', 'nobody')).toBeNull();
    expect(await resolve?.('cust-1', 'nobody')).toBeNull();
    expect(await resolve?.('cust-1', 'HTbnKjGVQfK7X05JVOj_IF')).toBe('Ada Lovelace');
    expect(usersRequests().map((r) => [r.path, r.apiKey])).toEqual([
      ['/admin-provisioning/users/HTbnKjGVQfK7X05JVOj_IF', 'test-users-key'],
      ['/admin-provisioning/users/nobody', 'test-users-key'],
    ]);
    // Another tenant has no users key: no lookup at all.
    expect(await resolve?.('other-tenant', 'HTbnKjGVQfK7X05JVOj_IF')).toBeNull();
    expect(usersRequests()).toHaveLength(2);
  });

  it('answers null (the id stays shown) when the users key is rejected', async () => {
    fake = await startFakeEightX8Api();
    fake.users.set('u-1', { firstName: 'Ada', lastName: 'Lovelace' });
    const resolve = resolverFor({ EIGHTX8_USERS_API_KEY: 'wrong', EIGHTX8_USERS_API_URL: fake.usersUrl });
    expect(await resolve?.('cust-1', 'u-1')).toBeNull();
  });

  it('is not created without a users key', () => {
    expect(resolverFor({})).toBeUndefined();
  });

  it('reads names from either record shape', () => {
    expect(nameFromUserRecord({ basicInfo: { firstName: 'Grace', lastName: 'Hopper' } })).toBe('Grace Hopper');
    expect(nameFromUserRecord({ userName: 'ghopper' })).toBe('ghopper');
    expect(nameFromUserRecord({ basicInfo: { primaryEmail: 'g@example.com' } })).toBe('g@example.com');
    expect(nameFromUserRecord('nope')).toBeNull();
  });

  it('fills the ActorDirectory where the store has no user event for an id', async () => {
    fake = await startFakeEightX8Api();
    fake.users.set('u-api', { firstName: 'Ada', lastName: 'Lovelace' });
    fake.users.set('u-alice', { firstName: 'Not', lastName: 'Asked' });
    auditbot = await startTestAuditbot();
    await auditbot.store.append([userEvent('u-alice', 'Alice Admin')]);
    const resolveName = resolverFor({ EIGHTX8_USERS_API_KEY: 'test-users-key', EIGHTX8_USERS_API_URL: fake.usersUrl });
    const directory = createActorDirectory(auditbot.store, { resolveName });

    const names = await directory.names('cust-1', ['u-alice', 'u-api', null, 'u-gone']);
    expect(names.get('u-alice')).toBe('Alice Admin');
    expect(names.get('u-api')).toBe('Ada Lovelace');
    expect(names.has('u-gone')).toBe(false);
    expect(usersRequests().map((r) => r.path)).toEqual([
      '/admin-provisioning/users/u-api',
      '/admin-provisioning/users/u-gone',
    ]);
    // Without ids it behaves exactly as before: the store's names only.
    expect((await directory.names('cust-1')).has('u-api')).toBe(false);
  });
});
