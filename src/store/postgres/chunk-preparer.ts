import { Worker } from 'node:worker_threads';
import type { AuditEvent } from '../../domain/audit-event.js';
import type { AppendChunk } from './append-rows.js';
import { prepareHere } from './chunk-prep.js';
import type { PrepReply, PrepRequest } from './prep-worker.js';

/**
 * Calls of more events than this are prepared by the worker; smaller ones (an ingest request, a
 * record of a chat command) here, without the hop.
 */
const WORKER_THRESHOLD = 250;

interface PendingCall {
  /** The worker preparing it: only that worker's death fails it. */
  worker: Worker;
  storedAt: number;
  chunks: AppendChunk[];
  done: boolean;
  error?: Error;
  wake?: () => void;
}

/**
 * Prepares append chunks (validation, fingerprints, search words, JSON rows: ~20 µs an event) in a
 * worker thread for big calls. On the main thread that work sat between PostgreSQL and its next
 * statement: measured at 1,000,000 events, raw SQL stored 29,787 events/s and an import 16,731/s,
 * with Node's one thread the limit. The worker also keeps `serve` answering chat while a big ingest
 * or sync is stored. One worker per store, started on the first big call, unref'd while idle.
 */
export class ChunkPreparer {
  private worker: Worker | undefined;
  private nextCall = 0;
  private readonly calls = new Map<number, PendingCall>();
  private closed = false;

  /** The call's chunks in order; an invalid event fails the iteration with its message. */
  chunks(events: readonly AuditEvent[], storedAt: number): AsyncGenerator<AppendChunk> {
    if (events.length <= WORKER_THRESHOLD || this.closed) return prepareHere(events, storedAt);
    return this.viaWorker(events, storedAt);
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private async *viaWorker(events: readonly AuditEvent[], storedAt: number): AsyncGenerator<AppendChunk> {
    // Closed between the call to chunks() and the first chunk: no worker is started any more.
    if (this.closed) {
      yield* prepareHere(events, storedAt);
      return;
    }
    const worker = this.started();
    const call = this.nextCall++;
    const pending: PendingCall = { worker, storedAt, chunks: [], done: false };
    try {
      worker.postMessage({ call, events: events as AuditEvent[], storedAt } satisfies PrepRequest);
    } catch {
      // Something the structured clone cannot copy (a function in details): preparing here reports it.
      yield* prepareHere(events, storedAt);
      return;
    }
    // Referenced while it prepares a call, so the process waits for it.
    worker.ref();
    this.calls.set(call, pending);
    try {
      for (;;) {
        const chunk = pending.chunks.shift();
        if (chunk) yield chunk;
        else if (pending.error) throw pending.error;
        else if (pending.done) return;
        else
          await new Promise<void>((resolve) => {
            pending.wake = resolve;
          });
      }
    } finally {
      this.calls.delete(call);
      if (![...this.calls.values()].some((other) => other.worker === worker)) worker.unref();
    }
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./prep-worker.mjs', import.meta.url));
    worker.unref();
    worker.on('message', (reply: PrepReply) => this.receive(reply));
    worker.on('error', (error) => this.lost(worker, error));
    worker.on('exit', (code) => this.lost(worker, new Error(`exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  private receive(reply: PrepReply): void {
    const pending = this.calls.get(reply.call);
    if (!pending) return;
    if ('chunk' in reply) {
      const { sent, json, indexes, canonicals } = reply.chunk;
      pending.chunks.push({ sent, values: [json, pending.storedAt], indexes, canonicals });
    } else if ('done' in reply) pending.done = true;
    else pending.error = new Error(reply.error);
    pending.wake?.();
    pending.wake = undefined;
  }

  /** The worker died: its calls fail (their transactions roll back), the next big call starts another. */
  private lost(worker: Worker, cause: Error): void {
    if (this.worker === worker) this.worker = undefined;
    for (const pending of this.calls.values()) {
      if (pending.worker !== worker || pending.done || pending.error) continue;
      pending.error = new Error(
        `The append preparation worker stopped (${cause.message}); nothing of this call was stored.`,
      );
      pending.wake?.();
      pending.wake = undefined;
    }
  }
}
