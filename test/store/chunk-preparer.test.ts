import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/domain/audit-event.js';
import { type AppendChunk, addRows, BatchDedupe, chunkOf, chunksOf } from '../../src/store/postgres/append-rows.js';
import { prepareHere } from '../../src/store/postgres/chunk-prep.js';
import { ChunkPreparer } from '../../src/store/postgres/chunk-preparer.js';
import { auditEvent } from './fixtures.js';

async function all(chunks: AsyncIterable<AppendChunk>): Promise<AppendChunk[]> {
  const out: AppendChunk[] = [];
  for await (const chunk of chunks) out.push(chunk);
  return out;
}

let preparer: ChunkPreparer | undefined;
afterEach(async () => {
  await preparer?.close();
});

describe('chunksOf (statement size)', () => {
  it('splits rows past the size a statement may carry into several chunks, in order, none lost', () => {
    const events = Array.from({ length: 40 }, (_, i) =>
      auditEvent({ details: { blob: 'x'.repeat(i % 5 === 0 ? 9000 : 100) } }),
    );
    const rows: unknown[][] = [];
    addRows(rows, events, 0, new BatchDedupe());
    const chunks = chunksOf(rows, 7, 30_000);
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks.every((chunk) => chunk.values[0].length * 3 <= 30_000 || chunk.sent === 1)).toBe(true);
    expect(chunks.flatMap((chunk) => JSON.parse(chunk.values[0]))).toEqual(JSON.parse(chunkOf(rows, 7).values[0]));
    expect(chunks.reduce((sum, chunk) => sum + chunk.sent, 0)).toBe(40);
    expect(chunksOf(rows, 7)).toEqual([chunkOf(rows, 7)]);
    expect(chunksOf([], 7)).toEqual([chunkOf([], 7)]);
  });
});

describe('ChunkPreparer (append chunks prepared in a worker thread)', () => {
  it('prepares a big call in the worker exactly as on the main thread, duplicates settled across chunks', async () => {
    preparer = new ChunkPreparer();
    const events = Array.from({ length: 900 }, (_, i) =>
      auditEvent({ displayName: i % 7 === 0 ? 'Chloé’s «queue» \u{1F600}' : `Queue ${i}` }),
    );
    const call = [...events, { ...(events[3] as AuditEvent), id: 'same-content' }, events[500] as AuditEvent];
    const viaWorker = await all(preparer.chunks(call, 1234));
    const here = await all(prepareHere(call, 1234));
    expect(viaWorker).toEqual(here);
    expect(viaWorker.map((chunk) => chunk.sent)).toEqual([64, 128, 256, 452]);
  });

  it('fails a call with the message of its first invalid event, and serves the next call', async () => {
    preparer = new ChunkPreparer();
    const events = Array.from({ length: 600 }, () => auditEvent());
    const bad = [...events.slice(0, 450), { ...auditEvent(), eventType: 'explode' } as unknown as AuditEvent];
    await expect(all(preparer.chunks(bad, 0))).rejects.toThrow(/^Event 450 is invalid: eventType/);
    expect((await all(preparer.chunks(events, 0))).reduce((sum, chunk) => sum + chunk.sent, 0)).toBe(600);
  });

  it('fails the calls under way when the worker stops, and starts another for the next call', async () => {
    preparer = new ChunkPreparer();
    const big = Array.from({ length: 20_000 }, () => auditEvent());
    const chunks = preparer.chunks(big, 0);
    await chunks.next();
    await preparer.close();
    await expect(all(chunks)).rejects.toThrow(/append preparation worker stopped .*nothing of this call was stored/);

    preparer = new ChunkPreparer();
    expect((await all(preparer.chunks(big.slice(0, 1000), 0))).length).toBe(5);
  });
});
