import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/domain/audit-event.js';
import type { EventFilter } from '../../src/domain/event-filter.js';
import { parseQuery } from '../../src/domain/query-language.js';
import { QUERY_LIMITS } from '../../src/domain/query-limits.js';
import { resolveQuery } from '../../src/domain/resolve-query.js';
import { isAuditbotError } from '../../src/errors.js';
import { generateDemoEvents } from '../../src/sources/demo/demo-generator.js';
import type { EventStore } from '../../src/store/event-store.js';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { hostileQuery } from '../helpers/hostile-queries.js';
import { postgresAvailable, TEST_DATABASE_URL, testSchemas } from '../helpers/postgres.js';

/*
 * No query can take the bot hostage: generated hostile query text, parsed and resolved as a command
 * does, then run on both stores over the demo events. Every query is either refused by the parser
 * with a message or answered — never a thrown store error, never an event of another tenant — and
 * the worst time is printed. HOSTILE_QUERY_SEED / HOSTILE_QUERY_RUNS replay or widen a run.
 */
const SEED = Number(process.env.HOSTILE_QUERY_SEED ?? Date.now() % 2 ** 31);
const RUNS = Number(process.env.HOSTILE_QUERY_RUNS ?? 400);
const NOW = Date.parse('2026-11-26T12:00:00.000Z');
const TENANT = 'hostile-q';
const OTHER = 'hostile-q-other';

function resolve(text: string): { refused: { message: string }[] } | { filter: EventFilter } {
  const parsed = parseQuery(text);
  if (!parsed.ok) return { refused: parsed.errors };
  const resolved = resolveQuery(parsed.query, { customerId: TENANT, now: NOW, retentionDays: 90, actors: [] });
  return resolved.ok ? { filter: resolved.filter } : { refused: [{ message: resolved.error }] };
}

function describeHostileQueries(name: string, open: () => Promise<EventStore>, cleanup: () => Promise<void>): void {
  describe(`hostile queries on ${name}`, () => {
    let store: EventStore;
    beforeAll(async () => {
      store = await open();
      const demo = (customerId: string, seed: number): AuditEvent[] => [
        ...generateDemoEvents({ customerId, count: 2500, now: NOW, seed }),
      ];
      await store.append(demo(TENANT, 11));
      await store.append(demo(OTHER, 12));
    }, 60_000);
    afterAll(async () => {
      await store.close();
      await cleanup();
    });

    it('refuses or answers every generated query, within the tenant, bounded in time', async () => {
      const stats = { answered: 0, refused: 0, tooBroad: 0, worstMs: 0, worst: '' };
      await fc.assert(
        fc.asyncProperty(hostileQuery, async (text) => {
          const outcome = resolve(text);
          if ('refused' in outcome) {
            stats.refused += 1;
            for (const error of outcome.refused) expect(error.message.length).toBeGreaterThan(10);
            return;
          }
          const started = performance.now();
          try {
            const page = await store.search(outcome.filter, { limit: 10 });
            await store.count(outcome.filter, { limit: 1000 });
            expect(page.events.every((e) => e.customerId === TENANT)).toBe(true);
            stats.answered += 1;
          } catch (error) {
            // The one failure a query may meet at the store: the deadline, said in a sentence.
            expect(isAuditbotError(error) && error.code === 'query_too_broad', String(error)).toBe(true);
            stats.tooBroad += 1;
          }
          const ms = performance.now() - started;
          if (ms > stats.worstMs) Object.assign(stats, { worstMs: ms, worst: text.slice(0, 60) });
        }),
        { numRuns: RUNS, seed: SEED },
      );
      process.stdout.write(
        `hostile queries on ${name}: seed ${SEED}, ${RUNS} queries — ${stats.answered} answered, ${stats.refused} refused, ` +
          `${stats.tooBroad} too broad; worst ${stats.worstMs.toFixed(1)} ms (${JSON.stringify(stats.worst)})\n`,
      );
      expect(stats.answered).toBeGreaterThan(0);
      expect(stats.refused).toBeGreaterThan(0);
    }, 120_000);

    it(`refuses text past ${QUERY_LIMITS.maxLength} characters and control characters before reading them`, () => {
      expect(resolve('a '.repeat(5000))).toMatchObject({
        refused: [{ message: expect.stringContaining('1,000 are read') }],
      });
      expect(resolve('-op:delete \u0000via:')).toMatchObject({
        refused: [{ message: expect.stringContaining('control character (U+0000) at position 12') }],
      });
      expect(resolve('sales ring')).toHaveProperty('filter');
    });
  });
}

let directory: string;
describeHostileQueries(
  'SQLite',
  async () => {
    directory = mkdtempSync(join(tmpdir(), 'auditbot-hostile-q-'));
    return openSqliteStore(join(directory, 'q.db'));
  },
  async () => rmSync(directory, { recursive: true, force: true }),
);

const available = await postgresAvailable('test/store/hostile-queries.test.ts');
const schemas = testSchemas('hostileq');
if (available) {
  describeHostileQueries(
    'PostgreSQL',
    () => openPostgresStore({ connectionString: TEST_DATABASE_URL, schema: schemas.fresh(), poolMax: 4 }),
    () => schemas.dropAll(),
  );
}

describe('the store deadline', () => {
  it('stops a read on SQLite past its deadline with "too broad"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'auditbot-deadline-'));
    const store = openSqliteStore(join(dir, 'd.db'), { queryDeadlineMs: 0 });
    try {
      await store.append([...generateDemoEvents({ customerId: TENANT, count: 200, now: NOW, seed: 3 })]);
      const filter = { customerId: TENANT, range: { start: 0, end: NOW + 1 } };
      await expect(store.count(filter)).rejects.toThrow(/too broad .*narrow it with when:\/op:\/who:/);
      await expect(store.search(filter, { limit: 5 })).rejects.toMatchObject({ code: 'query_too_broad' });
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.runIf(available)(
    'stops a read on PostgreSQL past its statement_timeout with "too broad"',
    async () => {
      const store = await openPostgresStore({
        connectionString: TEST_DATABASE_URL,
        schema: schemas.fresh(),
        poolMax: 2,
        queryDeadlineMs: 1,
      });
      try {
        await store.append([...generateDemoEvents({ customerId: TENANT, count: 20_000, now: NOW, seed: 4 })]);
        const filter = { customerId: TENANT, range: { start: 0, end: NOW + 1 }, text: ['ring group'] };
        await expect(store.count(filter)).rejects.toMatchObject({ code: 'query_too_broad' });
        // The connection it ran on is fine for the next command.
        await expect(store.get(TENANT, 'nope')).resolves.toBeNull();
      } finally {
        await store.close();
      }
    },
    60_000,
  );
});
