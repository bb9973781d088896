import { afterAll, describe, expect, it } from 'vitest';
import { AlertRules } from '../../src/alerts/rules.js';
import { loadConfig } from '../../src/config.js';
import type { EventStore } from '../../src/store/event-store.js';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import { postgresAvailable, TEST_DATABASE_URL, testSchemas } from '../helpers/postgres.js';
import { auditEvent } from '../store/fixtures.js';

/**
 * Alert rules edited from two instances at once (two stores on one schema, as two `auditbot serve`
 * processes): no edit is lost, and two instances starting together agree on one set of defaults.
 */
const schemas = testSchemas('rules');
const available = await postgresAvailable('test/alerts/rules-instances.test.ts');
const opened: EventStore[] = [];

afterAll(async () => {
  for (const store of opened) await store.close();
  if (available) await schemas.dropAll();
});

async function twoInstances(): Promise<[EventStore, EventStore]> {
  const schema = schemas.fresh();
  const open = () => openPostgresStore({ connectionString: TEST_DATABASE_URL, schema, poolMax: 4 });
  const a = await open();
  const b = await open();
  opened.push(a, b);
  return [a, b];
}

const tenant = loadConfig({ AUDITBOT_CUSTOMER_ID: 'rules-tenant', AUDITBOT_ALERT_SLACK_CHANNEL: 'CSEC' }).defaultTenant;

describe.skipIf(!available)('alert rules edited on two instances at once', () => {
  it('keeps every rule twenty admins add at the same time, split across the instances', async () => {
    const [a, b] = await twoInstances();
    const added = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        new AlertRules(i % 2 === 0 ? a : b).add(
          tenant.customerId,
          { query: `who:user${i}`, destination: { platform: 'slack', channel: 'CSEC' }, mode: 'each', createdBy: 'x' },
          1_000,
        ),
      ),
    );
    const stored = await new AlertRules(a).list(tenant.customerId);
    expect(stored.map((rule) => rule.query).sort()).toEqual(added.map((rule) => rule.query).sort());
    expect(new Set(stored.map((rule) => rule.id)).size).toBe(20);
  });

  it('keeps both a removal and a mute made at once on different instances', async () => {
    const [a, b] = await twoInstances();
    const [first, second] = await new AlertRules(a).ensureDefaults(tenant, 1_000);
    if (!first || !second) throw new Error('two default rules');
    await Promise.all([
      new AlertRules(a).remove(tenant.customerId, first.id),
      new AlertRules(b).setMute(tenant.customerId, second.id, 5_000),
    ]);
    const stored = await new AlertRules(b).list(tenant.customerId);
    expect(stored.map((rule) => [rule.id, rule.mutedUntil])).toEqual([[second.id, 5_000]]);
  });

  it('seeds one set of defaults when both instances start together', async () => {
    const [a, b] = await twoInstances();
    const seeded = await Promise.all([
      new AlertRules(a).ensureDefaults(tenant, 1_000),
      new AlertRules(b).ensureDefaults(tenant, 1_000),
      a.append([auditEvent({ customerId: tenant.customerId, id: 'first-event' })]),
    ]);
    const stored = await new AlertRules(a).list(tenant.customerId);
    expect(stored.map((rule) => rule.query)).toEqual(['op:delete', 'op:bulk']);
    // Both callers got the stored book, whichever of them wrote it.
    expect(seeded[0]).toEqual(stored);
    expect(seeded[1]).toEqual(stored);
  });
});
