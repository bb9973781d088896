import { generateKeyPairSync } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { sealChains } from '../../src/chain/checkpoints.js';
import type { SigningKey } from '../../src/chain/signing-key.js';
import { keyIdOf } from '../../src/chain/signing-key.js';
import { verifyChain } from '../../src/chain/verify-chain.js';
import type { AuditEvent } from '../../src/domain/audit-event.js';
import type { EventStore } from '../../src/store/event-store.js';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { postgresAvailable, TEST_DATABASE_URL, testSchemas } from '../helpers/postgres.js';
import { auditEvent } from '../store/fixtures.js';

/*
 * Retention removes old events without breaking verification, on both stores: the pruned stretch at
 * the chain's start becomes the new genesis, pruned events further on keep their links (marked), and
 * an event deleted by anything but retention is still named.
 */
const available = await postgresAvailable('test/chain/retention.test.ts');
const schemas = testSchemas('retention');
afterAll(async () => {
  if (available) await schemas.dropAll();
});

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const key: SigningKey = {
  privateKey,
  publicKey,
  keyId: keyIdOf(publicKey),
  publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
};
const TENANT = 'retention-tenant';
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 26);

function event(id: string, daysAgo: number): AuditEvent {
  return auditEvent({
    id,
    customerId: TENANT,
    auditTimestamp: new Date(NOW - daysAgo * DAY).toISOString(),
    entityKey: `rg-${id}`,
  });
}

const stores: { name: string; open(): Promise<EventStore> }[] = [
  { name: 'SQLite', open: async () => openSqliteStore(':memory:') },
];
if (available) {
  stores.push({
    name: 'PostgreSQL',
    open: () => openPostgresStore({ connectionString: TEST_DATABASE_URL, schema: schemas.fresh() }),
  });
}

for (const backend of stores) {
  describe(`retention on ${backend.name}`, () => {
    it('keeps the chain verifiable after a prune: a new genesis, pruned links kept inside the chain', async () => {
      const store = await backend.open();
      try {
        // Stored in this order: 20 old, 10 recent, then 5 old ones imported late (pruned in the middle).
        await store.append(Array.from({ length: 20 }, (_, i) => event(`old-${i}`, 120)));
        await store.append(Array.from({ length: 10 }, (_, i) => event(`new-${i}`, 5)));
        await sealChains(store, key, NOW, { force: true });
        await store.append(Array.from({ length: 5 }, (_, i) => event(`late-${i}`, 200)));
        await store.append([event('newest', 1)]);
        await sealChains(store, key, NOW + 1, { force: true });
        expect((await verifyChain(store.chain, TENANT, { publicKey })).breach).toBeNull();

        expect(await store.prune(NOW - 90 * DAY)).toBe(25);
        const head = await store.chain.head(TENANT);
        expect(head?.genesis.position).toBe(20);
        expect(head?.genesis.note).toMatch(/^retention removed positions up to 20/);
        const verdict = await verifyChain(store.chain, TENANT, { publicKey });
        expect(verdict.breach).toBeNull();
        expect(verdict.pruned).toBe(5);
        expect(verdict.events).toBe(16);
        expect(verdict.lastCheckpoint?.lastPosition).toBe(36);

        await store.append([event('after-prune', 0)]);
        expect((await verifyChain(store.chain, TENANT, { publicKey })).breach).toBeNull();
      } finally {
        await store.close();
      }
    });
  });
}
