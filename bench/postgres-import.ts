/**
 * The import half of `npm run bench:postgres`: `auditbot import`'s batching (ImportRun: 1,000-event
 * all-or-nothing appends, `store.parallelAppends` of them under way) against the very statements it
 * sends — BEGIN and the batch number, APPEND_SQL, the seq reservation with COMMIT — fed parameters
 * built beforehand, on as many plain connections. The raw side runs first, then auditbot's, each with
 * the database to itself (taking turns slice by slice made both share the server's buffers across
 * two schemas, and slowed both): the raw reference's schema is dropped, untimed, once measured.
 */
import pg from 'pg';
import type { AuditEvent } from '../src/domain/audit-event.js';
import { ImportRun } from '../src/sources/import-batch.js';
import { BEGIN_BATCH, reserveSeqsAndCommit } from '../src/store/postgres/append.js';
import { APPEND_SQL, toInsertParams } from '../src/store/postgres/append-rows.js';
import type { PostgresEventStore } from '../src/store/postgres/index.js';

const BATCH = 1000;
const SLICE = 50_000;

export interface ImportFigures {
  auditbotRate: number;
  rawRate: number;
  connections: number;
}

async function importSlice(store: PostgresEventStore, events: readonly AuditEvent[]): Promise<number> {
  const start = performance.now();
  const run = new ImportRun({ store, batchSize: BATCH, totalBytes: 0 });
  for (const event of events) await run.accept(event);
  const summary = await run.finish('ndjson');
  if (summary.accepted !== events.length) throw new Error(`stored ${summary.accepted} of ${events.length}`);
  return performance.now() - start;
}

async function rawSlice(clients: readonly pg.Client[], batches: readonly unknown[][]): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    clients.map(async (client) => {
      for (let i = next++; i < batches.length; i = next++) {
        await client.query(BEGIN_BATCH);
        await client.query({ name: 'raw-append', text: APPEND_SQL, values: batches[i] as unknown[] });
        await client.query(reserveSeqsAndCommit(BATCH));
      }
    }),
  );
  return performance.now() - start;
}

/** Events in slices of SLICE, generated as they are taken. */
function* slices(source: Iterable<AuditEvent>): Generator<AuditEvent[]> {
  let slice: AuditEvent[] = [];
  for (const event of source) {
    slice.push(event);
    if (slice.length === SLICE) {
      yield slice;
      slice = [];
    }
  }
  if (slice.length > 0) yield slice;
}

export async function measureImport(
  store: PostgresEventStore,
  raw: { url: string; schema: string },
  source: () => Iterable<AuditEvent>,
): Promise<ImportFigures> {
  const connections = store.parallelAppends;
  const clients: pg.Client[] = [];
  for (let i = 0; i < connections; i++) {
    const client = new pg.Client({ connectionString: raw.url, options: `-c search_path=${raw.schema}` });
    await client.connect();
    clients.push(client);
  }
  // Each phase starts right after a checkpoint (needs superuser or pg_checkpoint; skipped without),
  // so neither pays for writing out the other's pages.
  const checkpoint = (client: pg.Client | undefined) => client?.query('CHECKPOINT').catch(() => undefined);
  await checkpoint(clients[0]);
  let rawMs = 0;
  for (const slice of slices(source())) {
    const batches: unknown[][] = [];
    for (let i = 0; i < slice.length; i += BATCH) batches.push(toInsertParams(slice.slice(i, i + BATCH)));
    rawMs += await rawSlice(clients, batches);
  }
  // Untimed: the raw tables go once measured, so auditbot's phase has the server as the raw phase
  // had it (no other million events in its buffers, nothing of theirs for autovacuum to do).
  await clients[0]?.query(`DROP SCHEMA ${pg.escapeIdentifier(raw.schema)} CASCADE`);
  await checkpoint(clients[0]);
  await Promise.all(clients.map((client) => client.end()));
  let count = 0;
  let auditbotMs = 0;
  for (const slice of slices(source())) {
    auditbotMs += await importSlice(store, slice);
    count += slice.length;
  }
  return { auditbotRate: count / (auditbotMs / 1000), rawRate: count / (rawMs / 1000), connections };
}
