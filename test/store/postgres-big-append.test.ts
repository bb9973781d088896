import { afterAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import { postgresAvailable, TEST_DATABASE_URL, testSchemas } from '../helpers/postgres.js';
import { auditEvent } from './fixtures.js';

/**
 * A call big enough for the prep worker, whose chunks reach PostgreSQL as jsonb's binary form: every
 * character comes back as sent (a lone surrogate, which UTF-8 cannot hold, as U+FFFD), and free text
 * finds words of every chunk.
 */
const schemas = testSchemas('bigappend');
const available = await postgresAvailable('test/store/postgres-big-append.test.ts');

afterAll(async () => {
  if (available) await schemas.dropAll();
});

const TRICKY = ['Chloé’s «queue» \u{1F600}', 'back\\slash "quoted" \t tab', 'Łódź – naïve façade', 'lone \ud800 half'];

describe.skipIf(!available)('PostgreSQL append of a call prepared in the worker', () => {
  it('stores every field of a 700-event call exactly, across its chunks', async () => {
    const store = await openPostgresStore({ connectionString: TEST_DATABASE_URL, schema: schemas.fresh() });
    try {
      const events = Array.from({ length: 700 }, (_, i) => {
        const text = `${TRICKY[i % TRICKY.length]} ${i}`;
        return auditEvent({ displayName: text, details: { new: { name: text, n: i }, old: null } });
      });
      expect((await store.append(events)).inserted).toBe(700);
      const stored = await store.eventsAfter(0, 1000);
      const expected = (text: string | null) => text?.replace('\ud800', '\ufffd');
      expect(stored.map(({ event }) => event.displayName)).toEqual(events.map((e) => expected(e.displayName)));
      expect(stored.map(({ event }) => JSON.stringify(event.details))).toEqual(
        events.map((e) => expected(JSON.stringify(e.details))),
      );
      const customerId = events[0]?.customerId ?? '';
      const range = { start: 0, end: Number.MAX_SAFE_INTEGER };
      // Diacritics folded: "naive facade" finds the 175 events (one in four) of every chunk that say "naïve façade".
      const found = await store.search({ customerId, range, text: ['naive', 'facade'] }, { limit: 500 });
      expect(found.events).toHaveLength(175);
      expect(found.events.every((e) => e.displayName?.startsWith('Łódź – naïve façade'))).toBe(true);
    } finally {
      await store.close();
    }
  });
});
