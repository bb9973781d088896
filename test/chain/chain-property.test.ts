import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../src/chain/verify-chain.js';
import type { AuditEvent } from '../../src/domain/audit-event.js';
import type { EventStore } from '../../src/store/event-store.js';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { postgresAvailable, TEST_DATABASE_URL, testSchemas } from '../helpers/postgres.js';

/*
 * What the chain hashes at write is what reads back at verify, for any text: generated events with
 * hostile strings (lone surrogates, emoji, RTL, control characters but NUL, keys needing RFC 8785
 * ordering, numbers JSON writes in exponent form) appended in generated batches to both stores
 * always verify intact — a false "altered" would be the worst answer an evidence tool can give.
 */
const RUNS = Number(process.env.CHAIN_RUNS ?? 40);
const SEED = Number(process.env.CHAIN_SEED ?? Date.now() % 2 ** 31);
const available = await postgresAvailable('test/chain/chain-property.test.ts');
const schemas = testSchemas('chainprop');
const publicKey = generateKeyPairSync('ed25519').publicKey;

const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 20 }).map((s) => s.replaceAll('\u0000', '')),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('\ud800', 'a\udc00b', 'שלום עולם', '🎉👩‍👩‍👧', 'x'.repeat(900), ''),
);
const json: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    text,
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(text, tie('value'), { maxKeys: 4 }),
  ),
})).value;

let counter = 0;
const event = (customerId: string) =>
  fc
    .record({
      displayName: fc.option(text),
      auditUserId: fc.option(text),
      impersonator: fc.option(text),
      entityKey: text,
      details: fc.option(json),
      rawDetails: fc.option(text),
      ts: fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2026, 11, 1) }),
    })
    .map(
      (f): AuditEvent => ({
        id: `p-${++counter}`,
        customerId,
        auditTimestamp: new Date(f.ts).toISOString(),
        eventType: 'update',
        service: 'platform',
        entityType: 'ringgroup',
        entityKey: f.entityKey,
        displayName: f.displayName,
        auditUserId: f.auditUserId,
        impersonator: f.impersonator,
        details: f.rawDetails === null ? f.details : null,
        rawDetails: f.rawDetails,
        correlationType: null,
        correlationId: null,
        accessMethod: null,
        region: null,
        source: 'import',
      }),
    );

const stores: { name: string; open(): Promise<EventStore> }[] = [
  { name: 'SQLite', open: async () => openSqliteStore(':memory:') },
];
if (available) {
  stores.push({
    name: 'PostgreSQL',
    open: () => openPostgresStore({ connectionString: TEST_DATABASE_URL, schema: schemas.fresh() }),
  });
}
afterAll(async () => {
  if (available) await schemas.dropAll();
});

describe('the chain hashes what reads back', () => {
  for (const backend of stores) {
    it(`verifies intact after generated hostile appends on ${backend.name} (seed ${SEED})`, async () => {
      const store = await backend.open();
      let appended = 0;
      try {
        await fc.assert(
          fc.asyncProperty(
            fc.array(fc.array(event('chain-prop'), { minLength: 1, maxLength: 30 }), { maxLength: 4 }),
            async (batches) => {
              for (const batch of batches) appended += (await store.append(batch)).inserted;
              const verdict = await verifyChain(store.chain, 'chain-prop', { publicKey });
              expect(verdict.breach).toBeNull();
              expect(verdict.events).toBe(appended);
            },
          ),
          { numRuns: RUNS, seed: SEED },
        );
      } finally {
        await store.close();
      }
      process.stdout.write(`chain property on ${backend.name}: ${RUNS} runs, ${appended} events, seed ${SEED}\n`);
    }, 120_000);
  }
});
